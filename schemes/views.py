"""Pages for sites, schemes, tenders, leases and milestones. Thin: selectors read, services write."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts.records import snapshot
from accounts.selectors import audit_for
from accounts.views_base import (
    CSVImportView,
    TenantDeleteView,
    TenantFormView,
    TenantListView,
    TenantPage,
    TwoReadPaginator,
    apply_validation_error,
)
from clts.needs.selectors import scheme_mix_against_need
from clts.selectors import clt_get
from documents.models import DocumentType, SubjectKind
from documents.selectors import documents_for, signed_version
from partnerships.recoupment.selectors import scheme_money
from schemes import selectors, services
from schemes.allocations.selectors import allocation_summary
from schemes.forms import (
    BidForm,
    BuyBackDateForm,
    LeaseForm,
    MatchConfirmForm,
    MilestoneFilterForm,
    MilestoneForm,
    MilestoneImportForm,
    MilestoneProgressForm,
    NegotiationForm,
    SchemeFilterForm,
    SchemeForm,
    SchemeHistoryImportForm,
    SiteFilterForm,
    SiteForm,
    StageMoveForm,
    TenderFilterForm,
    TenderForm,
)
from schemes.ical import calendar_for
from schemes.models import RAG, TENURE_FIELDS, Bid, Lease, Negotiation, Tender
from schemes.stages import Stage, stage_track

VIEW = "schemes.view"
MANAGE = "schemes.manage"


def _url(view, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, **kwargs})


def _history(view, obj):
    return audit_for(access=view.access, object_type=obj._meta.model_name, object_id=obj.public_id)


# --- schemes ---------------------------------------------------------------------------------


#: Labels looked up once: get_FOO_display() rebuilds its choices for every exported row.
_STAGE_LABELS = {value: str(label) for value, label in Stage.choices}
_RAG_LABELS = {value: str(label) for value, label in RAG.choices}


class SchemeListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "schemes/scheme_list.html"
    filter_form_class = SchemeFilterForm
    sort_fields = {"name": "name", "stage": "stage", "rag": "rag", "clt": "clt__name"}
    default_sort = "name"
    csv_filename = "schemes.csv"
    csv_columns = [
        ("Name", lambda s: s.name),
        ("CLT", lambda s: s.clt.name),
        ("HA partner", lambda s: s.housing_association.name if s.housing_association else ""),
        ("Parish", lambda s: s.site.parish.name if s.site else ""),
        ("Stage", lambda s: _STAGE_LABELS.get(s.stage, s.stage)),
        ("RAG", lambda s: _RAG_LABELS.get(s.rag, s.rag)),
        ("RAG reason", lambda s: s.rag_reason),
        ("Homes", lambda s: s.homes_total),
        ("Total scheme cost (£)", lambda s: s.total_cost),
    ]

    #: 2,000 schemes an umbrella: page on the scheme table alone, then join the 25 shown (make bench).
    paginator_class = TwoReadPaginator
    #: Everyone's way into the schemes, read far more often than schemes change.
    body_template = "schemes/_scheme_list_body.html"

    def get_queryset(self, **filters):
        return selectors.scheme_list(access=self.access, **filters)

    def csv_queryset(self, queryset):
        """Only what the columns read: every exported row then converts 17 columns, not 120."""
        return (
            queryset.select_related(None)
            .select_related("clt", "housing_association", "site__parish")
            .only(
                "name",
                "stage",
                "rag",
                "rag_reason",
                "total_cost",
                *(f for f, _, _ in TENURE_FIELDS),
                "clt__name",
                "housing_association__name",
                "site__parish__name",
            )
        )


class SchemeDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/scheme_detail.html"

    def get_context_data(self, **kwargs):
        # Looked up every time, through the access: what the user may not see answers 404. Only
        # what the form to move the stage needs is read here; the rest of the page's data is kept
        # for everyone with this scope until the umbrella's data changes (core.versions), and the
        # page is drawn from it for this viewer.
        scheme = selectors.scheme_stage_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        access, today = self.access, timezone.localdate()
        moves = services.scheme_allowed_moves(scheme)

        def read() -> dict:
            full = selectors.scheme_get(access=access, public_id=scheme.public_id)
            summary = allocation_summary(access=access, scheme=full)
            documents = documents_for(access=access, kind=SubjectKind.SCHEME, record=full)
            return {
                "documents": documents,
                "signed_lease": next((d.signed for d in documents if d.type == DocumentType.LEASE and d.signed), None),
                "scheme": full,
                "lease": selectors.lease_for(access=access, scheme=full),
                "stage_track": stage_track(full.stage, full.held_from_stage),
                "history": list(selectors.stage_history(access=access, scheme=full)),
                "record_history": list(_history(self, full)),
                "tenders": list(selectors.tender_list(access=access, scheme=full)),
                "milestones": list(selectors.milestone_list(access=access, scheme=full, today=today)),
                "mix": scheme_mix_against_need(access=access, scheme=full),
                "money": scheme_money(access=access, scheme=full, today=today),
                **{k: list(v) if isinstance(v, QuerySet) else v for k, v in summary.items()},
            }

        drawn = self.kept_fragments(
            "scheme",
            {
                "head": "schemes/_scheme_detail_head.html",
                "track": "schemes/_stage_track.html",
                "body": "schemes/_scheme_detail_body.html",
            },
            read,
            scheme.pk,
        )
        context.update(
            scheme=scheme, drawn=drawn, move_form=StageMoveForm(moves=moves) if moves and access.is_staff else None
        )
        return context


class SchemeCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = SchemeForm
    title = "Add a scheme"
    intro = "A scheme starts at “Enquiry and housing needs survey”; move it on from its page."

    def get_initial(self):
        clt = self.request.GET.get("clt")
        return {"clt": clt_get(access=self.access, public_id=clt)} if clt else {}

    def save(self, form):
        return services.scheme_create(access=self.access, scheme=form.instance)

    def get_success_url(self, obj):
        return _url(self, "scheme_detail", public_id=obj.public_id)


class SchemeEditView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = SchemeForm

    def get_object(self):
        self.object = selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def get_cancel_url(self):
        return _url(self, "scheme_detail", public_id=self.object.public_id)

    def save(self, form):
        return services.scheme_update(access=self.access, scheme=form.instance, before=self.before)

    def get_success_url(self, obj):
        return self.get_cancel_url()


class SchemeStageView(TenantPage):
    """POST a stage move from the scheme page; refused gates come back with their reasons."""

    permissions = {"POST": MANAGE}
    template_name = "schemes/scheme_stage_refused.html"

    def post(self, request, public_id):
        scheme = selectors.scheme_get(access=self.access, public_id=public_id)
        form = StageMoveForm(request.POST, moves=services.scheme_allowed_moves(scheme))
        if form.is_valid():
            try:
                services.scheme_advance_stage(access=self.access, scheme=scheme, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                scheme.refresh_from_db()
                messages.success(request, f"{scheme} is now at “{scheme.get_stage_display()}”.")
                return redirect(_url(self, "scheme_detail", public_id=scheme.public_id))
        return self.render_to_response(self.get_context_data(scheme=scheme, form=form), status=400)


class SchemeMatchView(TenantPage):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    template_name = "schemes/scheme_match.html"

    def _context(self, scheme, form):
        return self.get_context_data(
            scheme=scheme, form=form, candidates=selectors.ha_match_candidates(access=self.access, scheme=scheme)
        )

    def get(self, request, public_id):
        scheme = selectors.scheme_get(access=self.access, public_id=public_id)
        return self.render_to_response(self._context(scheme, MatchConfirmForm(access=self.access)))

    def post(self, request, public_id):
        scheme = selectors.scheme_get(access=self.access, public_id=public_id)
        form = MatchConfirmForm(request.POST, access=self.access)
        if form.is_valid():
            ha = form.cleaned_data["housing_association"]
            candidate = next(
                c
                for c in selectors.ha_match_candidates(access=self.access, scheme=scheme)
                if c.housing_association.pk == ha.pk
            )
            services.scheme_match_ha(
                access=self.access, scheme=scheme, housing_association=ha, reasons=candidate.reasons
            )
            messages.success(request, f"{ha} is now the HA partner for {scheme}.")
            return redirect(_url(self, "scheme_detail", public_id=scheme.public_id))
        return self.render_to_response(self._context(scheme, form), status=400)


# --- lease -----------------------------------------------------------------------------------


class LeaseEditView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = LeaseForm
    intro = (
        "The CLT (freeholder) grants the HA partner a long lease, usually 125 years, and keeps an option "
        "to buy the HA out. Fill in the price basis the option uses."
    )

    def get_object(self):
        self.scheme = selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        lease = selectors.lease_for(access=self.access, scheme=self.scheme)
        self.before = snapshot(lease) if lease else None
        return lease or Lease(scheme=self.scheme)

    def get_title(self):
        return f"Lease of {self.scheme}"

    def get_cancel_url(self):
        return _url(self, "scheme_detail", public_id=self.scheme.public_id)

    def save(self, form):
        return services.lease_save(access=self.access, lease=form.instance, before=self.before)

    def get_success_url(self, obj):
        return _url(self, "lease_detail", public_id=self.scheme.public_id)


class LeaseDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/lease_detail.html"

    def get_context_data(self, **kwargs):
        scheme = selectors.scheme_get(access=self.access, public_id=kwargs.pop("public_id"))
        lease = selectors.lease_for(access=self.access, scheme=scheme)
        if lease is None:
            raise Http404("No lease recorded.")
        today = timezone.localdate()
        form = BuyBackDateForm(self.request.GET or None, initial={"on": lease.option_earliest_on or today})
        on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else (lease.option_earliest_on or today)
        context = super().get_context_data(**kwargs)
        from schemes.calculations import lease_years_remaining

        context.update(
            scheme=scheme,
            lease=lease,
            form=form,
            on=on,
            estimate=selectors.lease_buy_back_price(lease=lease, on=on),
            signed_lease=signed_version(access=self.access, kind=SubjectKind.SCHEME, record=scheme),
            years_remaining=(
                lease_years_remaining(start_on=lease.start_on, term_years=lease.term_years, on=today)
                if lease.start_on
                else None
            ),
            record_history=_history(self, lease),
        )
        return context


# --- sites -----------------------------------------------------------------------------------


class SiteListView(TenantListView):
    permissions = {"GET": "sites.view"}
    template_name = "schemes/site_list.html"
    filter_form_class = SiteFilterForm
    sort_fields = {"name": "name", "parish": "parish__name", "negotiation": "negotiation_status"}
    default_sort = "name"
    csv_filename = "sites.csv"
    csv_columns = [
        ("Name", lambda s: s.name),
        ("Parish", lambda s: s.parish.name),
        ("District", lambda s: s.parish.district),
        ("Address or grid reference", lambda s: s.address),
        ("Area (ha)", lambda s: s.area_hectares),
        ("Landowner", lambda s: s.landowner),
        ("Planning status", lambda s: s.get_planning_status_display()),
        ("Negotiation", lambda s: s.get_negotiation_status_display()),
        ("Assessment score", lambda s: s.assessment_total),
    ]

    def get_queryset(self, **filters):
        return selectors.site_list(access=self.access, **filters)


class SiteDetailView(TenantPage):
    permissions = {"GET": "sites.view"}
    template_name = "schemes/site_detail.html"

    def get_context_data(self, **kwargs):
        site = selectors.site_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            site=site,
            negotiations=selectors.negotiation_list(access=self.access, site=site),
            schemes=selectors.scheme_list(access=self.access).filter(site=site),
            record_history=_history(self, site),
        )
        return context


class SiteCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = SiteForm
    title = "Add a site"
    intro = "Score the site 0 (poor) to 5 (good) against each criterion; leave a score blank until it is known."

    def save(self, form):
        return services.site_create(access=self.access, site=form.instance)

    def get_success_url(self, obj):
        return _url(self, "site_detail", public_id=obj.public_id)


class SiteEditView(SiteCreateView):
    def get_object(self):
        self.object = selectors.site_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def get_cancel_url(self):
        return _url(self, "site_detail", public_id=self.object.public_id)

    def save(self, form):
        return services.site_update(access=self.access, site=form.instance, before=self.before)


class SiteDeleteView(TenantDeleteView):
    permissions = {"GET": MANAGE, "POST": MANAGE}

    def get_object(self):
        return selectors.site_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        services.site_delete(access=self.access, site=obj)

    def get_success_url(self, obj):
        return _url(self, "site_list")


class NegotiationCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = NegotiationForm
    submit_label = "Log it"

    def get_object(self):
        self.site = selectors.site_get(access=self.access, public_id=self.kwargs["public_id"])
        return Negotiation(site=self.site)

    def get_initial(self):
        return {"on": timezone.localdate(), "status_after": self.site.negotiation_status}

    def get_title(self):
        return f"Log landowner talks on {self.site}"

    def get_cancel_url(self):
        return _url(self, "site_detail", public_id=self.site.public_id)

    def save(self, form):
        return services.negotiation_log(access=self.access, negotiation=form.instance)

    def get_success_url(self, obj):
        return self.get_cancel_url()


class NegotiationEditView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = NegotiationForm

    def get_object(self):
        self.object = selectors.negotiation_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change the log entry of {self.object}"

    def get_cancel_url(self):
        return _url(self, "site_detail", public_id=self.object.site.public_id)

    def save(self, form):
        return services.negotiation_update(access=self.access, negotiation=form.instance, before=self.before)

    def get_success_url(self, obj):
        return self.get_cancel_url()


class NegotiationDeleteView(TenantDeleteView):
    permissions = {"GET": MANAGE, "POST": MANAGE}

    def get_object(self):
        return selectors.negotiation_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        services.negotiation_delete(access=self.access, negotiation=obj)

    def get_success_url(self, obj):
        return _url(self, "site_detail", public_id=obj.site.public_id)


# --- tenders ---------------------------------------------------------------------------------


class TenderListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "schemes/tender_list.html"
    filter_form_class = TenderFilterForm
    sort_fields = {"title": "title", "scheme": "scheme__name", "status": "status", "closes": "closes_on"}
    default_sort = "-closes"
    csv_filename = "tenders.csv"
    csv_columns = [
        ("Title", lambda t: t.title),
        ("Scheme", lambda t: t.scheme.name),
        ("Role", lambda t: t.get_role_display()),
        ("Status", lambda t: t.get_status_display()),
        ("Price weighting (%)", lambda t: t.price_weight),
        ("Closes", lambda t: t.closes_on),
        ("Firms invited", lambda t: t.invited_count),
        ("Bids", lambda t: t.bid_count),
        ("Appointed", lambda t: t.appointed_bid.firm.name if t.appointed_bid else ""),
        ("Fee (£)", lambda t: t.appointed_fee),
    ]

    def get_queryset(self, **filters):
        return selectors.tender_list(access=self.access, **filters)


class TenderDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/tender_detail.html"

    def get_context_data(self, **kwargs):
        tender = selectors.tender_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            tender=tender,
            ranking=selectors.tender_ranking(access=self.access, tender=tender),
            invited=tender.invited_firms.all(),
            record_history=_history(self, tender),
        )
        return context


class TenderCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = TenderForm
    intro = "Invite firms, record their bids, and the ranking follows your stated price/quality weighting."

    def get_object(self):
        self.scheme = selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        return Tender(scheme=self.scheme)

    def get_title(self):
        return f"Tender for an adviser on {self.scheme}"

    def get_cancel_url(self):
        return _url(self, "scheme_detail", public_id=self.scheme.public_id)

    def save(self, form):
        return services.tender_create(
            access=self.access, tender=form.instance, firms=form.cleaned_data["invited_firms"]
        )

    def get_success_url(self, obj):
        return _url(self, "tender_detail", public_id=obj.public_id)


class TenderEditView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = TenderForm

    def get_object(self):
        self.object = selectors.tender_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def get_cancel_url(self):
        return _url(self, "tender_detail", public_id=self.object.public_id)

    def save(self, form):
        return services.tender_update(
            access=self.access, tender=form.instance, before=self.before, firms=form.cleaned_data["invited_firms"]
        )

    def get_success_url(self, obj):
        return self.get_cancel_url()


class TenderStatusView(TenantPage):
    permissions = {"POST": MANAGE}

    def post(self, request, public_id):
        tender = selectors.tender_get(access=self.access, public_id=public_id)
        try:
            services.tender_set_status(access=self.access, tender=tender, status=request.POST.get("status", ""))
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"The tender is now “{tender.get_status_display()}”.")
        return redirect(_url(self, "tender_detail", public_id=tender.public_id))


class TenderAppointView(TenantPage):
    permissions = {"POST": MANAGE}

    def post(self, request, public_id):
        bid = selectors.bid_get(access=self.access, public_id=public_id)
        try:
            services.tender_appoint(access=self.access, tender=bid.tender, bid=bid)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{bid.firm} is appointed, for a fee of £{bid.price:,.2f}.")
        return redirect(_url(self, "tender_detail", public_id=bid.tender.public_id))


class BidCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = BidForm

    def get_object(self):
        self.tender = selectors.tender_get(access=self.access, public_id=self.kwargs["public_id"])
        return Bid(tender=self.tender)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tender": self.tender}

    def get_title(self):
        return f"Record a bid for {self.tender}"

    def get_cancel_url(self):
        return _url(self, "tender_detail", public_id=self.tender.public_id)

    def save(self, form):
        return services.bid_record(access=self.access, bid=form.instance)

    def get_success_url(self, obj):
        return self.get_cancel_url()


class BidEditView(BidCreateView):
    def get_object(self):
        self.object = selectors.bid_get(access=self.access, public_id=self.kwargs["public_id"])
        self.tender = self.object.tender
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change the bid from {self.object.firm}"

    def save(self, form):
        return services.bid_update(access=self.access, bid=form.instance, before=self.before)


class BidDeleteView(TenantDeleteView):
    permissions = {"GET": MANAGE, "POST": MANAGE}

    def get_object(self):
        return selectors.bid_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        services.bid_delete(access=self.access, bid=obj)

    def get_success_url(self, obj):
        return _url(self, "tender_detail", public_id=obj.tender.public_id)


# --- milestones ------------------------------------------------------------------------------


class MilestoneListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "schemes/milestone_list.html"
    filter_form_class = MilestoneFilterForm
    sort_fields = {"due": "due_on", "title": "title", "scheme": "scheme__name"}
    default_sort = "due"
    csv_filename = "milestones.csv"
    csv_columns = [
        ("Title", lambda m: m.title),
        ("Kind", lambda m: m.get_kind_display()),
        ("Scheme", lambda m: m.scheme.name if m.scheme else ""),
        ("CLT", lambda m: m.clt.name),
        ("Due", lambda m: m.due_on),
        ("Owner", lambda m: m.owner.display_name if m.owner else ""),
        ("Development milestone", lambda m: "yes" if m.is_development else "no"),
        ("Done on", lambda m: m.completed_on),
        ("Overdue", lambda m: "yes" if m.overdue else "no"),
    ]

    def get_queryset(self, mine=False, **filters):
        return selectors.milestone_list(access=self.access, owner=self.request.user if mine else None, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class MilestoneCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = MilestoneForm
    title = "Add a milestone or task"

    def get_initial(self):
        scheme = self.request.GET.get("scheme")
        return {"scheme": selectors.scheme_get(access=self.access, public_id=scheme)} if scheme else {}

    def save(self, form):
        return services.milestone_create(access=self.access, milestone=form.instance)

    def get_success_url(self, obj):
        if obj.scheme:
            return _url(self, "scheme_detail", public_id=obj.scheme.public_id)
        return _url(self, "milestone_list")


class MilestoneEditView(MilestoneCreateView):
    def get_object(self):
        self.object = selectors.milestone_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change “{self.object}”"

    def save(self, form):
        return services.milestone_update(access=self.access, milestone=form.instance, before=self.before)


class MilestoneDeleteView(TenantDeleteView):
    permissions = {"GET": MANAGE, "POST": MANAGE}

    def get_object(self):
        return selectors.milestone_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        services.milestone_delete(access=self.access, milestone=obj)

    def get_success_url(self, obj):
        return _url(self, "milestone_list")


class MilestoneProgressView(TenantFormView):
    """Owners, and HA teams on development milestones, record progress: done date, due date, notes."""

    permissions = {"GET": "milestones.update", "POST": "milestones.update"}
    form_class = MilestoneProgressForm
    submit_label = "Save progress"

    def get_object(self):
        milestone = selectors.milestone_get(access=self.access, public_id=self.kwargs["public_id"])
        if not services.milestone_can_update_progress(self.access, milestone):
            raise PermissionDenied("You may not update this milestone.")
        return milestone

    def get_initial(self):
        return {"due_on": self.object.due_on, "completed_on": self.object.completed_on, "notes": self.object.notes}

    def get_title(self):
        return f"Progress on “{self.object}”"

    def save(self, form):
        return services.milestone_update_progress(access=self.access, milestone=self.object, **form.cleaned_data)

    def get_success_url(self, obj):
        return _url(self, "milestone_list")


class SchemeHistoryImportView(CSVImportView):
    """Staff bring in the umbrella's existing CLTs, sites and schemes, each at its stage since a date."""

    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = SchemeHistoryImportForm
    title = "Bring in existing schemes"
    intro = (
        "One row per scheme, at the stage it has reached and the date it reached it (the stage's gates are not "
        "checked: this is history). A CLT, parish or site is found by its name, or added once. Every row is brought "
        "in, or none."
    )
    import_kind = "history"

    def import_now(self, upload) -> int:
        from schemes.history import history_import

        return len(history_import(access=self.access, source=upload))

    def done_message(self, count):
        return f"Brought in {count:,} scheme{'s' if count != 1 else ''}."

    def get_cancel_url(self):
        return _url(self, "scheme_list")


class MilestoneImportView(CSVImportView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = MilestoneImportForm
    import_kind = "milestones"

    def get_object(self):
        self.scheme = selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self):
        return f"Import milestones for {self.scheme}"

    def get_cancel_url(self):
        return _url(self, "scheme_detail", public_id=self.scheme.public_id)

    def import_target(self):
        return self.scheme

    def import_now(self, upload) -> int:
        return len(services.milestone_import(access=self.access, scheme=self.scheme, source=upload))

    def done_message(self, count):
        return f"Imported {count:,} milestones and tasks."


# --- the personal calendar (outside /u/: the secret link is the credential) -------------------


class CalendarSettingsView(LoginRequiredMixin, View):
    def get(self, request):
        from accounts.selectors import umbrellas_held_back_for_mfa

        url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": request.user.calendar_token}))
        held_back = list(umbrellas_held_back_for_mfa(user=request.user).order_by("name"))
        return render(request, "schemes/calendar.html", {"feed_url": url, "held_back": held_back})

    def post(self, request):
        services.calendar_token_reset(user=request.user)
        messages.success(request, "Your calendar link was reset: the old link no longer works.")
        return redirect("calendar_settings")


def calendar_feed(request, token):
    from accounts.models import User

    user = get_object_or_404(User, calendar_token=token, is_active=True)
    response = HttpResponse(calendar_for(user=user, today=date.today()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fieldgate.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
