"""Allocation policy pages and the eligibility checker. Thin: selectors read, services write."""

from urllib.parse import urlencode

from accounts.rules import can
from accounts.views_base import TenantDeleteView, TenantFormView, TenantListView, TenantPage
from clts import selectors
from clts.allocations import eligibility
from clts.allocations import selectors as policy_selectors
from clts.allocations import services as policy_services
from clts.allocations.forms import AgreeForm, BandForm, ConnectionAnswersForm, PolicyFilterForm, PolicyForm, TierForm
from clts.allocations.models import NeedBand, PolicyTier
from clts.views import _history, _Urls
from core.plain import PlainForm
from schemes.selectors import scheme_list

VIEW = {"GET": "allocations.view_policy"}
MANAGE = {"GET": "allocations.manage_policy", "POST": "allocations.manage_policy"}


class PolicyListView(TenantListView):
    permissions = VIEW
    template_name = "clts/allocations/policy_list.html"
    filter_form_class = PolicyFilterForm
    sort_fields = {"clt": "clt__name", "version": "version", "status": "status", "agreed": "agreed_on"}
    default_sort = "clt"
    csv_filename = "allocation-policies.csv"
    csv_columns = [
        ("CLT", lambda p: p.clt.name),
        ("Version", lambda p: p.version),
        ("Status", lambda p: p.get_status_display()),
        ("Agreed on", lambda p: p.agreed_on or ""),
        ("s106 agreement", lambda p: p.s106_reference),
        ("Housing association", lambda p: p.housing_association or ""),
        ("District council", lambda p: p.district_council),
        ("Nomination agreement signed", lambda p: p.nomination_signed_on or ""),
    ]

    def get_queryset(self, **filters):
        return policy_selectors.policy_list(access=self.access, **filters)


class PolicyDetailView(TenantPage):
    permissions = VIEW
    template_name = "clts/allocations/policy_detail.html"

    def get_context_data(self, **kwargs):
        policy = policy_selectors.policy_get(access=self.access, public_id=kwargs.pop("public_id"))
        may_manage = can(self.access, "allocations.manage_policy")
        return super().get_context_data(
            policy=policy,
            tiers=[(t, eligibility.tier_places(t)) for t in policy.tiers.all()],
            versions=policy_selectors.policy_list(access=self.access, clt=policy.clt),
            missing=policy_services.policy_missing(policy) if policy.is_draft else [],
            may_manage=may_manage,
            may_edit=may_manage and policy.is_draft,
            history=_history(self.access, policy),
            **kwargs,
        )


class _PolicyFormView(_Urls, TenantFormView):
    permissions = MANAGE

    def get_success_url(self, obj) -> str:
        return self.url("policy_detail", getattr(obj, "policy", obj))

    def get_cancel_url(self) -> str:
        return self.url("policy_detail", self.policy)


class ConfirmForm(PlainForm):
    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class PolicyStartView(_Urls, TenantFormView):
    permissions = MANAGE
    form_class = ConfirmForm
    submit_label = "Start the new version"

    def get_object(self):
        self.clt = selectors.clt_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self) -> str:
        return f"New allocation policy version for {self.clt.name}"

    intro = (
        "The new version starts as a draft copied from the latest one (its parties, tiers and bands). "
        "The agreed version stays in force until the draft is agreed."
    )

    def save(self, form):
        return policy_services.policy_start(access=self.access, clt=self.clt)

    def get_success_url(self, obj) -> str:
        return self.url("policy_detail", obj)

    def get_cancel_url(self) -> str:
        return self.url("clt_detail", self.clt, anchor="allocations")


class PolicyEditView(_PolicyFormView):
    form_class = PolicyForm

    def get_object(self):
        from accounts.records import snapshot

        self.policy = policy_selectors.policy_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.policy)
        return self.policy

    def get_title(self) -> str:
        return f"Change {self.policy}"

    def save(self, form):
        return policy_services.policy_update(access=self.access, policy=form.instance, before=self.before)


class PolicyAgreeView(_PolicyFormView):
    form_class = AgreeForm
    submit_label = "Record it as agreed"
    intro = (
        "Once agreed the version is in force for every scheme of the CLT and can no longer be changed; "
        "the version it replaces is kept, marked superseded."
    )

    def get_object(self):
        self.policy = policy_selectors.policy_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self) -> str:
        return f"Agree {self.policy}"

    def save(self, form):
        return policy_services.policy_agree(access=self.access, policy=self.policy, **form.cleaned_data)

    def success_message(self, obj) -> str:
        return f"Version {obj.version} is agreed and in force."


class PolicyDeleteView(_Urls, TenantDeleteView):
    permissions = MANAGE

    def get_object(self):
        return policy_selectors.policy_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj) -> None:
        policy_services.policy_delete(access=self.access, policy=obj)

    def get_success_url(self, obj) -> str:
        return self.url("clt_detail", obj.clt, anchor="allocations")


# --- tiers and bands -------------------------------------------------------------------------


class TierCreateView(_PolicyFormView):
    form_class = TierForm
    title = "Add a tier"
    model = PolicyTier

    def get_object(self):
        self.policy = policy_selectors.policy_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = None
        return self.model(policy=self.policy)

    def get_initial(self) -> dict:
        return {"position": len(self.policy.tiers.all()) + 1}

    def get_title(self) -> str:
        return f"{self.title} to {self.policy}"

    def save(self, form):
        form.instance.policy = self.policy
        return policy_services.tier_save(
            access=self.access, tier=form.instance, before=self.before, parishes=list(form.cleaned_data["parishes"])
        )


class TierEditView(TierCreateView):
    def get_object(self):
        from accounts.records import snapshot

        tier = policy_selectors.tier_get(access=self.access, public_id=self.kwargs["public_id"])
        self.policy, self.before = tier.policy, snapshot(tier)
        return tier

    def get_title(self) -> str:
        return f"Change {self.object}"


class TierDeleteView(_Urls, TenantDeleteView):
    permissions = MANAGE

    def get_object(self):
        return policy_selectors.tier_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj) -> None:
        policy_services.tier_delete(access=self.access, tier=obj)

    def get_success_url(self, obj) -> str:
        return self.url("policy_detail", obj.policy)


class BandCreateView(_PolicyFormView):
    form_class = BandForm
    model = NeedBand

    def get_object(self):
        self.policy = policy_selectors.policy_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = None
        return NeedBand(policy=self.policy)

    def get_initial(self) -> dict:
        return {"position": len(self.policy.bands.all()) + 1}

    def get_title(self) -> str:
        return f"Add a housing-need band to {self.policy}"

    def save(self, form):
        form.instance.policy = self.policy
        return policy_services.band_save(access=self.access, band=form.instance, before=self.before)


class BandEditView(BandCreateView):
    def get_object(self):
        from accounts.records import snapshot

        band = policy_selectors.band_get(access=self.access, public_id=self.kwargs["public_id"])
        self.policy, self.before = band.policy, snapshot(band)
        return band

    def get_title(self) -> str:
        return f"Change {self.object}"


class BandDeleteView(_Urls, TenantDeleteView):
    permissions = MANAGE

    def get_object(self):
        return policy_selectors.band_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj) -> None:
        policy_services.band_delete(access=self.access, band=obj)

    def get_success_url(self, obj) -> str:
        return self.url("policy_detail", obj.policy)


# --- the eligibility checker -----------------------------------------------------------------


class EligibilityCheckView(_Urls, TenantPage):
    """Answers in, tier and band out, with every reason. Nothing is stored: the answers can be
    carried to the applicant form of one of the CLT's schemes, by the panel or staff."""

    permissions = {"GET": "allocations.check", "POST": "allocations.check"}
    template_name = "clts/allocations/check.html"

    def setup_page(self):
        self.clt = selectors.clt_get(access=self.access, public_id=self.kwargs["public_id"])
        self.policy = policy_selectors.agreed_policy_for(access=self.access, clt=self.clt)

    def page(self, form, assessment=None, status=200):
        may_save = self.access.is_staff or self.clt.pk in self.access.panel_clt_ids
        context = self.get_context_data(
            clt=self.clt,
            policy=self.policy,
            form=form,
            assessment=assessment,
            schemes=scheme_list(access=self.access, clt=self.clt) if may_save and assessment else [],
            carried=urlencode({name: form.data[name] for name in form.fields if form.data.get(name)})
            if assessment
            else "",
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_page()
        form = ConnectionAnswersForm(access=self.access, policy=self.policy) if self.policy else None
        return self.page(form)

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if self.policy is None:
            return self.page(None, status=400)
        form = ConnectionAnswersForm(request.POST, access=self.access, policy=self.policy)
        if not form.is_valid():
            return self.page(form, status=400)
        assessment = eligibility.assess(self.policy, form.answers(), form.cleaned_data["need_band"])
        return self.page(form, assessment)
