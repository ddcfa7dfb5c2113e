"""Pages of a scheme's homes and their re-lets. Thin: selectors read, services write.

A household's name shows only to staff and the CLT's allocation panel, and each page that shows
names writes view-log lines (schemes.allocations.services.log_views), as the allocations do.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.records import snapshot
from accounts.rules import can
from accounts.selectors import email_failure_about
from accounts.views_base import TenantFormView, TenantListView, TenantPage, stream_csv
from schemes import selectors as scheme_selectors
from schemes.allocations import selectors as allocation_selectors
from schemes.allocations import services as allocation_services
from schemes.allocations.forms import IssueForm
from schemes.allocations.ranking import ranking_for
from schemes.allocations.views import issue_nomination_list, ties_of
from schemes.relets import selectors, services
from schemes.relets.forms import HomeForm, LetForm, VacancyFilterForm, VacancyForm
from schemes.relets.models import Home

VIEW = "relets.view"


def _url(view, name: str, obj) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, "public_id": obj.public_id})


def _log(view, applicants, context: str) -> None:
    allocation_services.log_views(access=view.access, applicants=[a for a in applicants if a], context=context)


class HomeListView(TenantPage):
    """A scheme's homes, with who holds each today and its vacancy waiting to be let."""

    permissions = {"GET": VIEW}
    template_name = "schemes/relets/home_list.html"

    def get(self, request, *args, **kwargs):
        scheme = scheme_selectors.scheme_get(access=self.access, public_id=kwargs["public_id"])
        today = timezone.localdate()
        states = selectors.homes_of(access=self.access, scheme=scheme, today=today)
        if request.GET.get("format") == "csv":
            return stream_csv(
                filename="homes.csv",
                header=["Home", "Bedrooms", "Tenure", "State", "Let since", "Vacant from"],
                rows=(
                    [
                        s.home.name,
                        s.home.bedrooms,
                        s.home.get_tenure_display(),
                        s.label(today),
                        s.current.started_on.isoformat() if s.current else "",
                        s.vacancy.vacant_from.isoformat() if s.vacancy else "",
                    ]
                    for s in states
                ),
            )
        return self.render_to_response(
            self.get_context_data(
                scheme=scheme,
                states=states,
                today=today,
                may_manage=can(self.access, "relets.manage_homes"),
                may_report=can(self.access, "relets.report_for_scheme", scheme),
            )
        )


class HomeCreateView(TenantFormView):
    permissions = {"GET": "relets.manage_homes", "POST": "relets.manage_homes"}
    form_class = HomeForm
    submit_label = "Add the home"
    before = None

    def get_object(self):
        self.scheme = scheme_selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        return Home(scheme=self.scheme)

    def get_title(self):
        return f"Add a home to {self.scheme}"

    def save(self, form):
        return services.home_save(
            access=self.access, home=form.instance, before=self.before, let_since=form.cleaned_data.get("let_since")
        )

    def success_message(self, obj):
        return f"Saved the home “{obj}”."

    def get_success_url(self, obj):
        return _url(self, "home_list", self.scheme)

    def get_cancel_url(self):
        return _url(self, "home_list", self.scheme)


class HomeEditView(HomeCreateView):
    submit_label = "Save the home"

    def get_object(self):
        home = selectors.home_get(access=self.access, public_id=self.kwargs["public_id"])
        self.scheme, self.before = home.scheme, snapshot(home)
        return home

    def get_title(self):
        return f"Change the home {self.object}"

    def get_success_url(self, obj):
        return _url(self, "home_detail", obj)

    def get_cancel_url(self):
        return _url(self, "home_detail", self.object)


class HomeDetailView(TenantPage):
    """A home, its tenancy today, and its history of lets and vacancies."""

    permissions = {"GET": VIEW}
    template_name = "schemes/relets/home_detail.html"

    def get_context_data(self, **kwargs):
        home = selectors.home_get(access=self.access, public_id=kwargs.pop("public_id"))
        today = timezone.localdate()
        lets = list(selectors.lets_of(access=self.access, home=home))
        names = selectors.may_see_households(self.access, home.scheme)
        if names:
            _log(self, [let.applicant for let in lets], f"lets of {home} ({home.scheme.name})")
        return super().get_context_data(
            home=home,
            scheme=home.scheme,
            state=selectors.home_state(access=self.access, home=home, today=today),
            lets=lets,
            vacancies=selectors.vacancies_of(access=self.access, home=home),
            names=names,
            today=today,
            may_manage=can(self.access, "relets.manage_homes"),
            may_report=can(self.access, "relets.report_for_scheme", home.scheme),
            **kwargs,
        )


class VacancyCreateView(TenantFormView):
    permissions = {"GET": "relets.report", "POST": "relets.report"}
    form_class = VacancyForm
    submit_label = "Record it and ask for a nomination"
    intro = (
        "The CLT's allocation panel and the umbrella's lead officer are told, and the panel ranks the "
        "applicants who fit this home under the CLT's agreed allocation policy."
    )

    def get_object(self):
        self.home = selectors.home_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get(self, request, *args, **kwargs):
        """What stops the home falling vacant at all (no agreed policy, a home already vacant)
        is said at once, on the home's page."""
        self.object = self.get_object()
        problem = services.vacancy_problems(
            access=self.access, home=self.home, vacant_from=None, today=timezone.localdate()
        ).get("__all__")
        if problem:
            messages.error(request, problem)
            return redirect(_url(self, "home_detail", self.home))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "home": self.home}

    def get_title(self):
        return f"{self.home} falls vacant"

    def save(self, form):
        d = form.cleaned_data
        return services.vacancy_record(
            access=self.access, home=self.home, vacant_from=d["vacant_from"], notes=d["notes"]
        )

    def success_message(self, obj):
        return f"Recorded {obj.home} vacant from {obj.vacant_from:%-d %B %Y}; {obj.home.scheme.clt} is asked for a nomination."

    def get_success_url(self, obj):
        return _url(self, "vacancy_detail", obj)

    def get_cancel_url(self):
        return _url(self, "home_detail", self.home)


class VacancyListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "schemes/relets/vacancy_list.html"
    filter_form_class = VacancyFilterForm
    sort_fields = {"vacant": "vacant_from", "home": "home__name", "scheme": "home__scheme__name", "status": "status"}
    default_sort = "-vacant"
    csv_filename = "re-lets.csv"
    csv_columns = [
        ("Home", lambda v: v.home.name),
        ("Scheme", lambda v: v.home.scheme.name),
        ("Bedrooms", lambda v: v.home.bedrooms),
        ("Vacant from", lambda v: v.vacant_from),
        ("Status", lambda v: v.get_status_display()),
    ]

    def get_queryset(self, **filters):
        return selectors.vacancy_list(access=self.access, **filters)


class VacancyDetailView(TenantPage):
    """A re-let: the home, the ranking for it (staff and the panel), the lists issued for it, and
    whom it was let to. The panel agrees the ranking here and issues the list (POST)."""

    permissions = {"GET": VIEW, "POST": "nominations.issue"}
    template_name = "schemes/relets/vacancy_detail.html"

    def page(self, form, status=200):
        vacancy = selectors.vacancy_get(access=self.access, public_id=self.kwargs["public_id"])
        scheme = vacancy.home.scheme
        ranking, problem = None, ""
        may_rank = selectors.may_see_households(self.access, scheme)
        if may_rank and not vacancy.is_filled:
            try:
                ranking = ranking_for(access=self.access, scheme=scheme, home=vacancy.home)
            except ValidationError as error:
                problem = " ".join(error.messages)
        if ranking:
            _log(
                self,
                [p.applicant for p in ranking.places + ranking.not_ranked + ranking.not_fitting],
                f"ranking for the re-let of {vacancy.home} ({scheme.name})",
            )
        let = getattr(vacancy, "let", None) if vacancy.is_filled else None
        if let is not None and may_rank:
            _log(self, [let.applicant], f"let of {vacancy.home}")
        lists = allocation_selectors.nomination_list_list(access=self.access, scheme=scheme).filter(vacancy=vacancy)
        context = self.get_context_data(
            vacancy=vacancy,
            home=vacancy.home,
            scheme=scheme,
            ranking=ranking,
            problem=problem,
            form=form or IssueForm(ties=ranking.ties if ranking else ()),
            lists=lists,
            let=let,
            names=may_rank,
            may_issue=may_rank and can(self.access, "nominations.issue"),
            may_let=can(self.access, "relets.report_for_scheme", scheme) and not vacancy.is_filled,
            email_failure=email_failure_about(access=self.access, about=f"vacancy:{vacancy.public_id}"),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(None)

    def post(self, request, *args, **kwargs):
        vacancy = selectors.vacancy_get(access=self.access, public_id=kwargs["public_id"])
        scheme = allocation_selectors.applicant_scheme_get(access=self.access, public_id=vacancy.home.scheme.public_id)
        form = IssueForm(request.POST, ties=ties_of(self.access, scheme, vacancy.home))
        here = _url(self, "vacancy_detail", vacancy)
        response = issue_nomination_list(
            self, form, scheme=scheme, vacancy=vacancy, back_url=here, success_url=lambda nomination_list: here
        )
        return response or self.page(form, status=400)


class LetCreateView(TenantFormView):
    permissions = {"GET": "relets.report", "POST": "relets.report"}
    form_class = LetForm
    submit_label = "Record the let"

    def get_object(self):
        self.vacancy = selectors.vacancy_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.vacancy.is_filled:
            messages.info(request, f"{self.vacancy.home} has been let already.")
            return redirect(_url(self, "vacancy_detail", self.vacancy))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "vacancy": self.vacancy}

    def _render(self, form, status=200):
        _log(self, [e.applicant for e in form.fields["nominee"].queryset], f"let form for {self.vacancy.home}")
        return super()._render(form, status)

    def get_title(self):
        return f"{self.vacancy.home} is let again"

    def save(self, form):
        d = form.cleaned_data
        return services.let_record(
            access=self.access,
            vacancy=self.vacancy,
            started_on=d["started_on"],
            entry=d["nominee"],
            outside_reason=d["outside_reason"],
        )

    def success_message(self, obj):
        who = obj.reference or "a household not on the list"
        return f"{obj.home} is let to {who} from {obj.started_on:%-d %B %Y}."

    def get_success_url(self, obj):
        return _url(self, "home_detail", obj.home)

    def get_cancel_url(self):
        return _url(self, "vacancy_detail", self.vacancy)
