"""Applicant, ranking and nomination-list pages. Thin: selectors read, services write.

Every page that shows an applicant's personal data writes a view-log line through the service;
a user who may not see an applicant gets 404 from the selector, the same as a missing one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.access import second_check
from accounts.records import snapshot
from accounts.rules import can
from accounts.selectors import audit_for, email_failure_about
from accounts.views_base import TenantFormView, TenantListView, TenantPage, apply_validation_error
from clts.allocations.eligibility import assess
from clts.allocations.models import ConnectionKind
from clts.allocations.selectors import agreed_policy_for
from core.documents import QueueUnavailable
from core.pdf import private_path
from schemes.allocations import selectors as allocation_selectors
from schemes.allocations import services as allocation_services
from schemes.allocations.forms import ApplicantFilterForm, ApplicantForm, EraseForm, IssueForm
from schemes.allocations.models import Applicant
from schemes.allocations.ranking import ranking_for

VIEW = {"GET": "applicants.view"}
MANAGE = {"GET": "applicants.manage", "POST": "applicants.manage"}


def _url(view, name: str, obj) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, "public_id": obj.public_id})


class ApplicantListView(TenantListView):
    permissions = VIEW
    template_name = "schemes/allocations/applicant_list.html"
    filter_form_class = ApplicantFilterForm
    sort_fields = {
        "name": "name",
        "scheme": "scheme__name",
        "registered": "registered_on",
        "band": "need_band",
        "status": "status",
    }
    default_sort = "registered"
    csv_filename = "applicants.csv"
    csv_by_task = False  # personal data: never a file that could outlive an erasure
    csv_columns = [
        ("Reference", lambda a: a.reference),
        ("Name", lambda a: a.name),
        ("Scheme", lambda a: a.scheme.name),
        ("Registered on", lambda a: a.registered_on),
        ("Need band", lambda a: a.need_band),
        ("Status", lambda a: a.get_status_display()),
    ]

    def get_queryset(self, **filters):
        return allocation_selectors.applicant_list(access=self.access, **filters)

    def get_context_data(self, **kwargs):
        if "object_list" in kwargs:  # the page shown
            allocation_services.log_views(
                access=self.access, applicants=list(kwargs["object_list"]), context="applicant list"
            )
        return super().get_context_data(**kwargs)

    def export_csv(self, queryset):
        allocation_services.log_views(access=self.access, applicants=list(queryset), context="applicant list export")
        return super().export_csv(queryset)


class ApplicantDetailView(TenantPage):
    permissions = VIEW
    template_name = "schemes/allocations/applicant_detail.html"

    def get_context_data(self, **kwargs):
        applicant = allocation_selectors.applicant_get(access=self.access, public_id=kwargs.pop("public_id"))
        allocation_services.log_views(access=self.access, applicants=[applicant], context="applicant record")
        policy = agreed_policy_for(access=self.access, clt=applicant.scheme.clt)
        assessment = assess(policy, allocation_selectors.answers_of(applicant), applicant.need_band) if policy else None
        return super().get_context_data(
            applicant=applicant,
            policy=policy,
            assessment=assessment,
            views=allocation_selectors.view_log(access=self.access, applicant=applicant)[:20],
            nominations=applicant.nominations.select_related("nomination_list"),
            record_history=audit_for(access=self.access, object_type="applicant", object_id=applicant.public_id),
            **kwargs,
        )


class ApplicantCreateView(TenantFormView):
    permissions = MANAGE
    form_class = ApplicantForm
    template_name = "schemes/allocations/applicant_form.html"
    before = None

    def get_object(self):
        self.scheme = allocation_selectors.applicant_scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        self.policy = agreed_policy_for(access=self.access, clt=self.scheme.clt)
        return Applicant(scheme=self.scheme)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.policy is None:
            messages.error(
                request,
                f"{self.scheme.clt.name} has no agreed allocation policy yet: agree one before recording applicants.",
            )
            return redirect(_url(self, "scheme_detail", self.scheme))
        return self._render(self.form_class(initial=self.get_initial(), **self.get_form_kwargs()))

    def get_form_kwargs(self) -> dict:
        if self.policy is None:
            raise Http404("No agreed policy.")
        return {**super().get_form_kwargs(), "policy": self.policy}

    def get_initial(self) -> dict:
        # Answers carried from the eligibility checker (places, amounts, band); never names.
        carried = {f"{kind}_{part}" for kind in ConnectionKind.values for part in ("place", "amount")} | {"need_band"}
        return {k: v for k, v in self.request.GET.items() if k in carried and v}

    def get_title(self) -> str:
        return f"Record an applicant for {self.scheme.name}"

    def save(self, form):
        return allocation_services.applicant_save(
            access=self.access, applicant=form.instance, connections=form.connections(), before=self.before
        )

    def success_message(self, obj) -> str:
        return f"Saved applicant {obj.reference}."

    def get_success_url(self, obj) -> str:
        return _url(self, "applicant_detail", obj)

    def get_cancel_url(self) -> str:
        return _url(self, "scheme_ranking", self.scheme)


class ApplicantEditView(ApplicantCreateView):
    def get_object(self):
        applicant = allocation_selectors.applicant_get(access=self.access, public_id=self.kwargs["public_id"])
        self.scheme, self.before = applicant.scheme, snapshot(applicant)
        self.policy = agreed_policy_for(access=self.access, clt=self.scheme.clt)
        if self.request.method == "GET":
            allocation_services.log_views(access=self.access, applicants=[applicant], context="applicant edit form")
        return applicant

    def get_initial(self) -> dict:
        return {}

    def get_title(self) -> str:
        return f"Change applicant {self.object.reference}"

    def get_cancel_url(self) -> str:
        return _url(self, "applicant_detail", self.object)


class ApplicantExportView(TenantPage):
    """Subject access: everything held about the person, as a JSON file."""

    permissions = {"GET": "applicants.manage"}

    def get(self, request, public_id):
        applicant = allocation_selectors.applicant_get(access=self.access, public_id=public_id)
        second_check(applicant.umbrella_id == self.access.umbrella.pk)
        body = allocation_services.subject_access_export(access=self.access, applicant=applicant)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{applicant.reference}.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class ApplicantEraseView(TenantFormView):
    permissions = MANAGE
    form_class = EraseForm
    submit_label = "Erase the record"
    intro = (
        "Erasing deletes the applicant's record, connections and evidence, and blanks their change history. "
        "Nomination lists they were on keep their place under the reference only, and are drawn again "
        "without their name."
    )

    def get_object(self):
        self.applicant = allocation_selectors.applicant_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self) -> str:
        return f"Erase applicant {self.applicant.reference}"

    def save(self, form):
        self.scheme = self.applicant.scheme
        try:
            return allocation_services.applicant_erase(
                access=self.access, applicant=self.applicant, reason=form.cleaned_data["reason"]
            )
        except QueueUnavailable:
            return self.applicant.reference  # erased; the lists are redrawn when retried

    def success_message(self, obj) -> str:
        return f"Erased applicant {obj}. Their place on any list is kept under the reference."

    def get_success_url(self, obj) -> str:
        return _url(self, "scheme_ranking", self.scheme)

    def get_cancel_url(self) -> str:
        return _url(self, "applicant_detail", self.applicant)


# --- ranking and nomination lists ------------------------------------------------------------


class RankingView(TenantPage):
    """The ranking as it stands, explained; the panel agrees it and issues the nomination list."""

    permissions = {"GET": "applicants.view", "POST": "nominations.issue"}
    template_name = "schemes/allocations/ranking.html"

    def page(self, form, status=200):
        scheme = allocation_selectors.applicant_scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        try:
            ranking = ranking_for(access=self.access, scheme=scheme)
            problem = ""
        except ValidationError as error:
            ranking, problem = None, " ".join(error.messages)
        if ranking:
            allocation_services.log_views(
                access=self.access,
                context=f"ranking of {scheme.name}",
                applicants=[p.applicant for p in ranking.places + ranking.not_ranked],
            )
        context = self.get_context_data(
            scheme=scheme,
            ranking=ranking,
            problem=problem,
            form=form or IssueForm(ties=ranking.ties if ranking else ()),
            lists=allocation_selectors.nomination_list_list(access=self.access, scheme=scheme),
            may_issue=can(self.access, "nominations.issue"),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(None)

    def post(self, request, *args, **kwargs):
        scheme = allocation_selectors.applicant_scheme_get(access=self.access, public_id=kwargs["public_id"])
        form = IssueForm(request.POST, ties=ties_of(self.access, scheme))
        response = issue_nomination_list(
            self,
            form,
            scheme=scheme,
            back_url=_url(self, "scheme_ranking", scheme),
            success_url=lambda nomination_list: _url(self, "nomination_detail", nomination_list),
        )
        return response or self.page(form, status=400)


def ties_of(access, scheme, home=None) -> list:
    """The ranking's ties as it stands (none when there is no ranking to issue)."""
    try:
        return ranking_for(access=access, scheme=scheme, home=home).ties
    except ValidationError:
        return []


def issue_nomination_list(view, form, *, scheme, back_url: str, success_url, vacancy=None):
    """The panel's "agree and issue" (of the scheme's ranking, or of a re-let's: `vacancy`): a
    redirect once issued (or when the queue is away: the list is kept, to retry), else None with
    the reason on the form."""
    if not form.is_valid():
        return None
    try:
        nomination_list = allocation_services.nomination_issue(
            access=view.access, scheme=scheme, vacancy=vacancy, **form.settlement()
        )
    except QueueUnavailable:
        messages.error(
            view.request,
            "The list is recorded but its files could not be started: the task queue "
            "is not answering. Try again from the list's page shortly.",
        )
        return redirect(back_url)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    what = f" for {vacancy.home}" if vacancy is not None else ""
    messages.success(
        view.request,
        f"Nomination list {nomination_list.number}{what} is agreed; its PDF and CSV "
        "are being made, and the housing association will be told.",
    )
    return redirect(success_url(nomination_list))


class NominationListView(TenantListView):
    permissions = {"GET": "nominations.view"}
    template_name = "schemes/allocations/nomination_list.html"
    sort_fields = {"scheme": "scheme__name", "agreed": "agreed_at", "number": "number"}
    default_sort = "-agreed"
    csv_filename = "nomination-lists.csv"
    csv_columns = [
        ("Scheme", lambda n: n.scheme.name),
        ("List", lambda n: n.number),
        ("Agreed at", lambda n: n.agreed_at.date()),
        ("Agreed by", lambda n: n.agreed_by.email if n.agreed_by else ""),
        ("Policy version", lambda n: n.policy.version),
        ("Status", lambda n: n.get_status_display()),
    ]

    def get_queryset(self, **filters):
        return allocation_selectors.nomination_list_list(access=self.access, **filters)


class NominationDetailView(TenantPage):
    permissions = {"GET": "nominations.view"}
    template_name = "schemes/allocations/nomination_detail.html"

    def get_context_data(self, **kwargs):
        nomination_list = allocation_selectors.nomination_list_get(
            access=self.access, public_id=kwargs.pop("public_id")
        )
        entries = list(allocation_selectors.nomination_entries(access=self.access, nomination_list=nomination_list))
        allocation_services.log_views(
            access=self.access,
            applicants=[e.applicant for e in entries],
            context=f"nomination list {nomination_list.number} of {nomination_list.scheme.name}",
        )
        return super().get_context_data(
            nl=nomination_list,
            entries=entries,
            may_issue=can(self.access, "nominations.issue"),
            email_failure=email_failure_about(access=self.access, about=f"nomination:{nomination_list.public_id}"),
            **kwargs,
        )


class NominationDownloadView(TenantPage):
    permissions = {"GET": "nominations.view"}
    kind = "pdf"

    def get(self, request, public_id):
        nomination_list = allocation_selectors.nomination_list_get(access=self.access, public_id=public_id)
        second_check(nomination_list.umbrella_id == self.access.umbrella.pk)
        relative = nomination_list.pdf_path if self.kind == "pdf" else nomination_list.csv_path
        if not relative or not private_path(relative).exists() or nomination_list.in_progress:
            raise Http404("No file yet.")
        entries = allocation_selectors.nomination_entries(access=self.access, nomination_list=nomination_list)
        allocation_services.log_views(
            access=self.access,
            applicants=[e.applicant for e in entries],
            context=f"nomination list {nomination_list.number} {self.kind.upper()} download",
        )
        name = f"nomination-list-{nomination_list.scheme.name}-{nomination_list.number}".replace(" ", "-").replace(
            ",", ""
        )
        response = FileResponse(
            private_path(relative).open("rb"),
            as_attachment=True,
            filename=f"{name}.{self.kind}",
            content_type="application/pdf" if self.kind == "pdf" else "text/csv; charset=utf-8",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class NominationRetryView(TenantPage):
    permissions = {"POST": "nominations.issue"}

    def post(self, request, public_id):
        nomination_list = allocation_selectors.nomination_list_get(access=self.access, public_id=public_id)
        try:
            allocation_services.nomination_retry(access=self.access, nomination_list=nomination_list)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except QueueUnavailable:
            messages.error(request, "The task queue is not answering. Nothing was lost — try again shortly.")
        return redirect(_url(self, "nomination_detail", nomination_list))
