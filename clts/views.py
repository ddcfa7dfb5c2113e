"""Pages for CLTs, parishes and the CLTs' records. Thin: selectors read, services write.

Views name the role rule per method; the object rule ("clts.change_clt" on the CLT) is checked
again by the services. A record of a CLT the user may not see answers 404 from its selector.
"""

from django.urls import reverse

from accounts.records import require
from accounts.rules import can
from accounts.selectors import audit_for
from accounts.views_base import TenantDeleteView, TenantFormView, TenantListView, TenantPage
from clts import selectors, services
from clts.allocations.selectors import policy_list
from clts.forms import (
    AdviceSessionFilterForm,
    AdviceSessionForm,
    AGMFilterForm,
    AGMForm,
    CLTFilterForm,
    CLTForm,
    CLTGovernanceForm,
    ParishFilterForm,
    ParishForm,
    PersonFilterForm,
    PersonForm,
    RevenueGrantFilterForm,
    RevenueGrantForm,
)
from clts.selectors import TERM_STATE_CHOICES
from documents.models import SubjectKind
from documents.selectors import documents_for
from schemes.selectors import scheme_list

VIEW = {"GET": "clts.view"}
MANAGE = {"GET": "clts.manage", "POST": "clts.manage"}
# The CLT's own records: the view lets staff and volunteers in; the selector narrows to the CLTs
# they may see, and the service checks "clts.change_clt" on the CLT.
CHANGE_CLT = {"GET": "clts.view", "POST": "clts.view"}

_TERM_LABELS = dict(TERM_STATE_CHOICES)


def _history(access, obj):
    return audit_for(access=access, object_type=obj._meta.model_name, object_id=obj.public_id)


class _Urls:
    """Reverse a URL name in this view's umbrella."""

    def url(self, name: str, obj=None, anchor: str = "") -> str:
        kwargs = {"umbrella_slug": self.umbrella.slug}
        if obj is not None:
            kwargs["public_id"] = obj.public_id
        return reverse(name, kwargs=kwargs) + (f"#{anchor}" if anchor else "")


class _ChildFormMixin(_Urls):
    """Create or edit a CLT's record: `self.clt` is its CLT, narrowed by the selector."""

    anchor = ""

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj.clt, anchor=self.anchor)

    def get_cancel_url(self) -> str:
        return self.url("clt_detail", self.clt, anchor=self.anchor)


# --- CLTs -----------------------------------------------------------------------------------


class CLTListView(TenantListView):
    permissions = VIEW
    template_name = "clts/clt_list.html"
    filter_form_class = CLTFilterForm
    sort_fields = {"name": "name", "status": "setup_status", "members": "membership_count"}
    default_sort = "name"
    csv_filename = "clts.csv"
    csv_columns = [
        ("Name", lambda clt: clt.name),
        ("Legal form", lambda clt: clt.get_legal_form_display()),
        ("Registration number", lambda clt: clt.registration_number),
        ("Incorporated", lambda clt: clt.incorporated_on),
        ("Parishes", lambda clt: "; ".join(p.name for p in clt.parishes.all())),
        ("Members", lambda clt: clt.membership_count),
        ("Set-up status", lambda clt: clt.get_setup_status_display()),
        ("Schemes", lambda clt: clt.scheme_count),
    ]

    def get_queryset(self, **filters):
        return selectors.clt_list(access=self.access, **filters)


class CLTDetailView(TenantPage):
    permissions = VIEW
    template_name = "clts/clt_detail.html"

    def get_context_data(self, **kwargs):
        clt = selectors.clt_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        access = self.access
        context.update(
            clt=clt,
            schemes=scheme_list(access=access, clt=clt),
            checklist=selectors.clt_governance_checklist(access=access, clt=clt),
            people=selectors.person_list(access=access, clt=clt),
            agms=selectors.agm_list(access=access, clt=clt),
            advice_sessions=selectors.advice_session_list(access=access, clt=clt)[:10],
            advice_totals=selectors.advice_session_totals(access=access, clt=clt),
            grants=selectors.revenue_grant_list(access=access, clt=clt),
            grant_totals=selectors.revenue_grant_totals(access=access, clt=clt),
            may_change=can(access, "clts.change_clt", clt),
            may_manage=can(access, "clts.manage"),
            history=_history(access, clt),
            term_labels=_TERM_LABELS,
            policies=policy_list(access=access, clt=clt),
            documents=documents_for(access=access, kind=SubjectKind.CLT, record=clt),
        )
        return context


class CLTCreateView(_Urls, TenantFormView):
    permissions = MANAGE
    form_class = CLTForm
    title = "Add a community land trust"
    submit_label = "Add the CLT"

    def save(self, form):
        return services.clt_create(access=self.access, **form.cleaned_data)

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj)

    def get_cancel_url(self) -> str:
        return self.url("clt_list")


class _CLTChangeView(_Urls, TenantFormView):
    permissions = CHANGE_CLT

    def get_object(self):
        clt = selectors.clt_get(access=self.access, public_id=self.kwargs["public_id"])
        require(self.access, "clts.change_clt", clt)
        self.clt_name = clt.name
        return clt

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj)

    def get_cancel_url(self) -> str:
        return self.url("clt_detail", self.object)


class CLTEditView(_CLTChangeView):
    form_class = CLTForm

    def get_title(self) -> str:
        return f"Edit {self.clt_name}"

    def save(self, form):
        return services.clt_update(access=self.access, clt=self.object, **form.cleaned_data)


class CLTGovernanceView(_CLTChangeView):
    form_class = CLTGovernanceForm
    intro = (
        "Tick each test of section 79 of the Housing and Regeneration Act 2008 that the CLT's rules "
        "(its constitution) meet."
    )

    def get_title(self) -> str:
        return f"Governance checklist: {self.clt_name}"

    def save(self, form):
        return services.clt_governance_update(access=self.access, clt=self.object, **form.cleaned_data)

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj, anchor="governance")


class CLTDeleteView(_Urls, TenantDeleteView):
    permissions = MANAGE

    def get_object(self):
        return selectors.clt_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj) -> None:
        services.clt_delete(access=self.access, clt=obj)

    def get_success_url(self, obj) -> str:
        return self.url("clt_list")


# --- parishes -------------------------------------------------------------------------------


class ParishListView(TenantListView):
    permissions = {"GET": "clts.manage"}
    template_name = "clts/parish_list.html"
    filter_form_class = ParishFilterForm
    sort_fields = {"name": "name", "district": "district", "county": "county", "clts": "clt_count"}
    default_sort = "name"
    csv_filename = "parishes.csv"
    csv_columns = [
        ("Name", lambda p: p.name),
        ("District", lambda p: p.district),
        ("County", lambda p: p.county),
        ("CLTs", lambda p: p.clt_count),
    ]

    def get_queryset(self, **filters):
        return selectors.parish_list(access=self.access, with_counts=True, **filters)


class ParishDetailView(TenantPage):
    permissions = {"GET": "clts.manage"}
    template_name = "clts/parish_detail.html"

    def get_context_data(self, **kwargs):
        parish = selectors.parish_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            parish=parish,
            clts=selectors.clt_list(access=self.access, parish=parish),
            history=_history(self.access, parish),
        )
        return context


class ParishCreateView(_Urls, TenantFormView):
    permissions = MANAGE
    form_class = ParishForm
    title = "Add a parish"
    submit_label = "Add the parish"

    def save(self, form):
        return services.parish_create(access=self.access, **form.cleaned_data)

    def get_success_url(self, obj) -> str:
        return self.url("parish_list")

    def get_cancel_url(self) -> str:
        return self.url("parish_list")


class ParishEditView(_Urls, TenantFormView):
    permissions = MANAGE
    form_class = ParishForm

    def get_object(self):
        parish = selectors.parish_get(access=self.access, public_id=self.kwargs["public_id"])
        self.parish_name = str(parish)
        return parish

    def get_title(self) -> str:
        return f"Edit parish {self.parish_name}"

    def save(self, form):
        return services.parish_update(access=self.access, parish=self.object, **form.cleaned_data)

    def get_success_url(self, obj) -> str:
        return self.url("parish_detail", obj)

    def get_cancel_url(self) -> str:
        return self.url("parish_detail", self.object)


class ParishDeleteView(_Urls, TenantDeleteView):
    permissions = MANAGE

    def get_object(self):
        return selectors.parish_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj) -> None:
        services.parish_delete(access=self.access, parish=obj)

    def get_success_url(self, obj) -> str:
        return self.url("parish_list")


# --- the CLTs' records: one list, detail, create, edit and delete each ------------------------


class _RecordDetailView(_Urls, TenantPage):
    permissions = VIEW
    selector = None
    context_name = ""

    def get_context_data(self, **kwargs):
        obj = type(self).selector(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            {
                self.context_name: obj,
                "object": obj,
                "clt": obj.clt,
                "history": _history(self.access, obj),
                "may_change": self.may_change(obj),
                "term_labels": _TERM_LABELS,
            }
        )
        return context

    def may_change(self, obj) -> bool:
        return can(self.access, "clts.manage")


class _ChildCreateView(_ChildFormMixin, TenantFormView):
    """Create a record of the CLT in the URL (narrowed by the selector: 404 if not visible)."""

    noun = ""

    def get_object(self):
        self.clt = selectors.clt_get(access=self.access, public_id=self.kwargs["public_id"])
        self.check_clt(self.clt)
        return None

    def check_clt(self, clt) -> None:
        require(self.access, "clts.change_clt", clt)

    def get_title(self) -> str:
        return f"Add {self.noun} to {self.clt.name}"


class _ChildEditView(_ChildFormMixin, TenantFormView):
    selector = None

    def get_object(self):
        obj = type(self).selector(access=self.access, public_id=self.kwargs["public_id"])
        self.clt = obj.clt
        self.check_clt(self.clt)
        self.object_name = str(obj)
        return obj

    def check_clt(self, clt) -> None:
        require(self.access, "clts.change_clt", clt)

    def get_title(self) -> str:
        return f"Edit {self.object_name} ({self.clt.name})"

    def get_success_url(self, obj) -> str:
        return self.url(self.detail_url_name, obj)

    def get_cancel_url(self) -> str:
        return self.url(self.detail_url_name, self.object)


class _ChildDeleteView(_Urls, TenantDeleteView):
    selector = None
    anchor = ""

    def get_object(self):
        return type(self).selector(access=self.access, public_id=self.kwargs["public_id"])

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj.clt, anchor=self.anchor)


# people


class PersonListView(TenantListView):
    permissions = VIEW
    template_name = "clts/person_list.html"
    filter_form_class = PersonFilterForm
    sort_fields = {"name": "name", "clt": "clt__name", "role": "role", "term_end": "term_end"}
    default_sort = "name"
    csv_filename = "clt-people.csv"
    csv_columns = [
        ("Name", lambda p: p.name),
        ("CLT", lambda p: p.clt.name),
        ("Role", lambda p: p.get_role_display()),
        ("Email", lambda p: p.email),
        ("Term starts", lambda p: p.term_start),
        ("Term ends", lambda p: p.term_end),
        ("Term", lambda p: _TERM_LABELS[p.term_state]),
        ("Notes", lambda p: p.notes),
    ]

    def get_queryset(self, **filters):
        return selectors.person_list(access=self.access, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(term_labels=_TERM_LABELS, **kwargs)


class PersonDetailView(_RecordDetailView):
    template_name = "clts/person_detail.html"
    selector = selectors.person_get
    context_name = "person"

    def may_change(self, obj) -> bool:
        return can(self.access, "clts.change_clt", obj.clt)


class PersonCreateView(_ChildCreateView):
    permissions = CHANGE_CLT
    form_class = PersonForm
    noun = "a board member or volunteer"
    anchor = "people"

    def save(self, form):
        return services.person_create(access=self.access, clt=self.clt, **form.cleaned_data)


class PersonEditView(_ChildEditView):
    permissions = CHANGE_CLT
    form_class = PersonForm
    selector = selectors.person_get
    detail_url_name = "person_detail"

    def save(self, form):
        return services.person_update(access=self.access, person=self.object, **form.cleaned_data)


class PersonDeleteView(_ChildDeleteView):
    permissions = CHANGE_CLT
    selector = selectors.person_get
    anchor = "people"

    def delete(self, obj) -> None:
        services.person_delete(access=self.access, person=obj)


# advice and training


class AdviceSessionListView(TenantListView):
    permissions = VIEW
    template_name = "clts/advice_session_list.html"
    filter_form_class = AdviceSessionFilterForm
    sort_fields = {
        "date": "given_on",
        "clt": "clt__name",
        "topic": "topic",
        "hours": "hours",
        "given_by": "given_by__last_name",
    }
    default_sort = "-date"
    csv_filename = "advice-sessions.csv"
    csv_columns = [
        ("Date", lambda s: s.given_on),
        ("CLT", lambda s: s.clt.name),
        ("Topic", lambda s: s.get_topic_display()),
        ("Hours", lambda s: s.hours),
        ("Given by", lambda s: s.given_by.display_name),
        ("People attending", lambda s: s.attendees),
        ("Notes", lambda s: s.notes),
    ]

    def get_queryset(self, **filters):
        return selectors.advice_session_list(access=self.access, **filters)


class AdviceSessionDetailView(_RecordDetailView):
    template_name = "clts/advice_session_detail.html"
    selector = selectors.advice_session_get
    context_name = "advice_session"


class AdviceSessionCreateView(_ChildCreateView):
    permissions = MANAGE
    form_class = AdviceSessionForm
    noun = "an advice or training session"
    anchor = "advice"

    def check_clt(self, clt) -> None:
        pass  # staff only, by the view's rule

    def save(self, form):
        return services.advice_session_create(access=self.access, clt=self.clt, **form.cleaned_data)


class AdviceSessionEditView(_ChildEditView):
    permissions = MANAGE
    form_class = AdviceSessionForm
    selector = selectors.advice_session_get
    detail_url_name = "advice_session_detail"

    def check_clt(self, clt) -> None:
        pass

    def save(self, form):
        return services.advice_session_update(access=self.access, advice_session=self.object, **form.cleaned_data)


class AdviceSessionDeleteView(_ChildDeleteView):
    permissions = MANAGE
    selector = selectors.advice_session_get
    anchor = "advice"

    def delete(self, obj) -> None:
        services.advice_session_delete(access=self.access, advice_session=obj)


# revenue grants


class RevenueGrantListView(TenantListView):
    permissions = VIEW
    template_name = "clts/revenue_grant_list.html"
    filter_form_class = RevenueGrantFilterForm
    sort_fields = {
        "clt": "clt__name",
        "funder": "funder",
        "status": "status",
        "requested": "amount_requested",
        "awarded": "amount_awarded",
        "submitted": "submitted_on",
        "decision": "decision_on",
    }
    default_sort = "-submitted"
    csv_filename = "revenue-grants.csv"
    csv_columns = [
        ("CLT", lambda g: g.clt.name),
        ("Funder", lambda g: g.funder),
        ("Programme", lambda g: g.programme),
        ("Status", lambda g: g.get_status_display()),
        ("Amount requested (£)", lambda g: g.amount_requested),
        ("Amount awarded (£)", lambda g: g.amount_awarded),
        ("Submitted on", lambda g: g.submitted_on),
        ("Decision on", lambda g: g.decision_on),
        ("Conditions", lambda g: g.conditions),
    ]

    def get_queryset(self, **filters):
        return selectors.revenue_grant_list(access=self.access, **filters)


class RevenueGrantDetailView(_RecordDetailView):
    template_name = "clts/revenue_grant_detail.html"
    selector = selectors.revenue_grant_get
    context_name = "grant"


class RevenueGrantCreateView(_ChildCreateView):
    permissions = MANAGE
    form_class = RevenueGrantForm
    noun = "a revenue grant"
    anchor = "grants"

    def check_clt(self, clt) -> None:
        pass

    def save(self, form):
        return services.revenue_grant_create(access=self.access, clt=self.clt, **form.cleaned_data)


class RevenueGrantEditView(_ChildEditView):
    permissions = MANAGE
    form_class = RevenueGrantForm
    selector = selectors.revenue_grant_get
    detail_url_name = "revenue_grant_detail"

    def check_clt(self, clt) -> None:
        pass

    def save(self, form):
        return services.revenue_grant_update(access=self.access, revenue_grant=self.object, **form.cleaned_data)


class RevenueGrantDeleteView(_ChildDeleteView):
    permissions = MANAGE
    selector = selectors.revenue_grant_get
    anchor = "grants"

    def delete(self, obj) -> None:
        services.revenue_grant_delete(access=self.access, revenue_grant=obj)


# AGMs


class AGMListView(TenantListView):
    permissions = VIEW
    template_name = "clts/agm_list.html"
    filter_form_class = AGMFilterForm
    sort_fields = {"date": "held_on", "clt": "clt__name", "members": "members_present"}
    default_sort = "-date"
    csv_filename = "agms.csv"
    csv_columns = [
        ("Date", lambda a: a.held_on),
        ("CLT", lambda a: a.clt.name),
        ("Members present", lambda a: a.members_present),
        ("Resolutions", lambda a: a.resolutions),
        ("Notes", lambda a: a.notes),
    ]

    def get_queryset(self, **filters):
        return selectors.agm_list(access=self.access, **filters)


class AGMDetailView(_RecordDetailView):
    template_name = "clts/agm_detail.html"
    selector = selectors.agm_get
    context_name = "agm"

    def may_change(self, obj) -> bool:
        return can(self.access, "clts.change_clt", obj.clt)


class AGMCreateView(_ChildCreateView):
    permissions = CHANGE_CLT
    form_class = AGMForm
    noun = "an AGM"
    anchor = "agms"

    def save(self, form):
        return services.agm_create(access=self.access, clt=self.clt, **form.cleaned_data)


class AGMEditView(_ChildEditView):
    permissions = CHANGE_CLT
    form_class = AGMForm
    selector = selectors.agm_get
    detail_url_name = "agm_detail"

    def save(self, form):
        return services.agm_update(access=self.access, agm=self.object, **form.cleaned_data)


class AGMDeleteView(_ChildDeleteView):
    permissions = CHANGE_CLT
    selector = selectors.agm_get
    anchor = "agms"

    def delete(self, obj) -> None:
        services.agm_delete(access=self.access, agm=obj)
