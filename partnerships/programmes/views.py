"""Pages for strategic partnership programmes. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.access import second_check
from accounts.records import snapshot
from accounts.selectors import audit_for
from accounts.views_base import TenantFormView, TenantListView, TenantPage
from core.documents import QueueUnavailable
from core.pdf import private_path
from documents.models import SubjectKind
from documents.selectors import documents_for
from partnerships.programmes import selectors as sel
from partnerships.programmes import services
from partnerships.programmes.forms import (
    RECORD_FORMS,
    OrganisationFilterForm,
    OrganisationForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    RescheduleForm,
)

VIEW = "partners.view"
MANAGE = "partners.manage"


def _url(view, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, **kwargs})


def _programme_url(view, programme) -> str:
    return _url(view, "programme_detail", public_id=programme.public_id)


# --- programmes ------------------------------------------------------------------------------


class ProgrammeListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "partnerships/programmes/programme_list.html"
    filter_form_class = ProgrammeFilterForm
    sort_fields = {"name": "name", "starts": "starts_on", "status": "status", "funding": "funding_amount"}
    default_sort = "-starts"
    csv_filename = "programmes.csv"
    csv_columns = [
        ("Name", lambda p: p.name),
        ("Lead authority", lambda p: p.lead_authority.name if p.lead_authority else ""),
        ("Status", lambda p: p.get_status_display()),
        ("Aim", lambda p: p.aim),
        ("Funder", lambda p: p.funder),
        ("Funding programme", lambda p: p.funding_programme),
        ("Funding (£)", lambda p: p.funding_amount),
        ("Starts", lambda p: p.starts_on),
        ("Ends", lambda p: p.ends_on),
        ("Months", lambda p: p.duration_months),
        ("Members", lambda p: p.member_count),
    ]

    def get_queryset(self, **filters):
        return sel.programme_list(access=self.access, **filters)


class ProgrammeDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "partnerships/programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = sel.programme_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        a, p = self.access, programme
        context.update(
            programme=p,
            glance=sel.programme_at_a_glance(access=a, programme=p),
            members=sel.member_list(access=a, programme=p),
            engagements=sel.engagement_list(access=a, programme=p),
            commitments=sel.commitment_list(access=a, programme=p),
            agreements=sel.agreement_list(access=a, programme=p),
            exemplar_sites=sel.exemplar_site_list(access=a, programme=p),
            next_steps=sel.next_step_list(access=a, programme=p),
            lessons=sel.lesson_list(access=a, programme=p),
            quotes=sel.quote_list(access=a, programme=p),
            case_studies=sel.case_study_list(access=a, programme=p)[:5],
            record_history=audit_for(access=a, object_type="programme", object_id=p.public_id),
            documents=documents_for(access=a, kind=SubjectKind.PROGRAMME, record=p),
        )
        return context


class ProgrammeCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = ProgrammeForm
    title = "Add a partnership programme"
    intro = (
        "A strategic partnership of local authorities, housing associations and Homes England. The narrative "
        "fields are the sections of its case study; fill them in as the programme goes."
    )

    def save(self, form):
        return services.programme_create(access=self.access, programme=form.instance)

    def get_success_url(self, obj):
        return _programme_url(self, obj)


class ProgrammeEditView(ProgrammeCreateView):
    def get_object(self):
        self.object = sel.programme_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def get_cancel_url(self):
        return _programme_url(self, self.object)

    def save(self, form):
        return services.programme_update(access=self.access, programme=form.instance, before=self.before)


# --- organisations ---------------------------------------------------------------------------


class OrganisationListView(TenantListView):
    permissions = {"GET": MANAGE}
    template_name = "partnerships/programmes/organisation_list.html"
    filter_form_class = OrganisationFilterForm
    sort_fields = {"name": "name", "kind": "kind"}
    default_sort = "name"
    csv_filename = "organisations.csv"
    csv_columns = [
        ("Name", lambda o: o.name),
        ("Kind", lambda o: o.get_kind_display()),
        ("Partner HA", lambda o: o.housing_association.name if o.housing_association else ""),
        ("Website", lambda o: o.website),
    ]

    def get_queryset(self, **filters):
        return sel.organisation_list(access=self.access, **filters)


class OrganisationCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = OrganisationForm
    title = "Add an organisation"
    intro = "A local authority, housing association, Homes England or another body that may join a programme."

    def save(self, form):
        return services.organisation_create(access=self.access, organisation=form.instance)

    def get_success_url(self, obj):
        return _url(self, "programme_organisation_list")

    def get_cancel_url(self):
        return _url(self, "programme_organisation_list")


class OrganisationEditView(OrganisationCreateView):
    def get_object(self):
        self.object = sel.organisation_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def save(self, form):
        return services.organisation_update(access=self.access, organisation=form.instance, before=self.before)


# --- the records of a programme (one pair of views serves every kind) --------------------------


def _form_extras(form) -> dict:
    extras = {}
    for name in ("attendees", "parties"):
        if name in form.fields:
            extras[name] = list(form.cleaned_data.get(name) or [])
    return extras


class RecordCreateView(TenantFormView):
    """Add a record of `kind` (member, engagement, commitment...) to the programme in the URL."""

    permissions = {"GET": MANAGE, "POST": MANAGE}
    kind = ""

    def get_object(self):
        self.programme = sel.programme_get(access=self.access, public_id=self.kwargs["public_id"])
        self.form_class = RECORD_FORMS[self.kind][0]
        model = self.form_class._meta.model
        return model() if self.kind == "representative" else model(programme=self.programme)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_title(self):
        return f"Add {RECORD_FORMS[self.kind][1]} to {self.programme}"

    def get_cancel_url(self):
        return _programme_url(self, self.programme)

    def get_success_url(self, obj):
        return self.get_cancel_url() + f"#{self.kind.replace('_', '-')}s"

    def save(self, form):
        return services.programme_record_create(access=self.access, record=form.instance, **_form_extras(form))


class RecordEditView(RecordCreateView):
    def get_object(self):
        self.object = sel.programme_record_get(access=self.access, kind=self.kind, public_id=self.kwargs["public_id"])
        self.programme = sel.record_programme(self.object)
        self.form_class = RECORD_FORMS[self.kind][0]
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object._meta.verbose_name} “{self.object}”"

    def save(self, form):
        return services.programme_record_update(
            access=self.access, record=form.instance, before=self.before, **_form_extras(form)
        )


class EngagementRescheduleView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = RescheduleForm
    submit_label = "Reschedule"
    intro = "The original date and the reason are kept, and shown on the programme's page."

    def get_object(self):
        self.engagement = sel.programme_record_get(
            access=self.access, kind="engagement", public_id=self.kwargs["public_id"]
        )
        return None

    def get_title(self):
        return f"Reschedule {self.engagement}"

    def get_cancel_url(self):
        return _programme_url(self, self.engagement.programme)

    def get_success_url(self, obj):
        return self.get_cancel_url() + "#engagements"

    def save(self, form):
        return services.engagement_reschedule(access=self.access, engagement=self.engagement, **form.cleaned_data)

    def success_message(self, obj):
        return f"{self.engagement.title} moved to {obj.new_date:%-d %B %Y}."


# --- case studies ----------------------------------------------------------------------------


def _case_study_url(view, case_study) -> str:
    return _url(view, "case_study_detail", public_id=case_study.public_id)


class CaseStudyRequestView(TenantPage):
    permissions = {"POST": MANAGE}

    def post(self, request, public_id):
        programme = sel.programme_get(access=self.access, public_id=public_id)
        try:
            case_study, created = services.case_study_request(access=self.access, programme=programme)
        except QueueUnavailable:
            messages.error(
                request,
                "The case study could not be started: the task queue is not answering. "
                "Nothing was lost — try again shortly.",
            )
            return redirect(_programme_url(self, programme))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_programme_url(self, programme))
        if created:
            messages.success(request, "The case study is being made.")
        else:
            messages.info(request, "A case study of this programme is already being made.")
        return redirect(_case_study_url(self, case_study))


class CaseStudyDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "partnerships/programmes/case_study_detail.html"

    def get_context_data(self, **kwargs):
        case_study = sel.case_study_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(case_study=case_study, programme=case_study.programme)
        return context


class CaseStudyStatusView(TenantPage):
    """JSON for the page's small script (static/js/statement-status.js)."""

    permissions = {"GET": VIEW}

    def get(self, request, public_id):
        cs = sel.case_study_get(access=self.access, public_id=public_id)
        return JsonResponse(
            {
                "status": cs.status,
                "label": cs.get_status_display(),
                "in_progress": cs.in_progress,
                "failure_reason": cs.failure_reason,
            }
        )


class CaseStudyDownloadView(TenantPage):
    permissions = {"GET": VIEW}

    def get(self, request, public_id):
        cs = sel.case_study_get(access=self.access, public_id=public_id)
        second_check(cs.umbrella_id == self.access.umbrella.pk)  # the second check on a download
        if not cs.file_path:
            raise Http404("No file yet.")
        path = private_path(cs.file_path)
        if not path.exists():
            raise Http404("No file yet.")
        name = "".join(ch if ch.isalnum() else "-" for ch in cs.programme.name).strip("-")[:60] or "programme"
        response = FileResponse(
            path.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"case-study-{name}-{cs.created_at:%Y%m%d}.pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
