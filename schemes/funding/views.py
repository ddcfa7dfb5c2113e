"""A scheme's funding timeline, capital funding recorded, a tranche claimed, a claim paid."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from accounts.views_base import TenantFormView, TenantPage, apply_validation_error
from clts.selectors import revenue_grant_list
from partnerships.recoupment.selectors import statements_for_scheme
from schemes import selectors as scheme_selectors
from schemes.funding import selectors, services
from schemes.funding.forms import ClaimForm, FundingForm, PaidForm
from schemes.funding.models import CapitalFunding

VIEW, MANAGE = "funding.view", "funding.manage"


def _url(view, name, obj) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, "public_id": obj.public_id})


class FundingTimelineView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/funding/timeline.html"

    def get_context_data(self, **kwargs):
        scheme = scheme_selectors.scheme_get(access=self.access, public_id=kwargs.pop("public_id"))
        grants = revenue_grant_list(access=self.access, clt=scheme.clt) if self.access.is_staff else []
        funding = list(selectors.funding_list(access=self.access, scheme=scheme))
        context = super().get_context_data(**kwargs)
        context.update(
            scheme=scheme,
            funding=[(f, selectors.tranches(f)) for f in funding],
            events=selectors.funding_timeline(
                funding=funding,
                revenue_grants=grants,
                statements=statements_for_scheme(access=self.access, scheme=scheme),
            ),
            paid_form=PaidForm(),
        )
        return context


class FundingCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = FundingForm
    submit_label = "Record it"
    intro = "A capital grant, or an s106 sum, paid in tranches on milestones that add up to 100%."

    def get_object(self):
        self.scheme = scheme_selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        return CapitalFunding(umbrella=self.access.umbrella, scheme=self.scheme)

    def get_title(self):
        return f"Capital funding for {self.scheme}"

    def get_cancel_url(self):
        return _url(self, "scheme_funding", self.scheme)

    def save(self, form):
        return services.funding_save(access=self.access, funding=form.instance)

    def get_success_url(self, obj):
        return _url(self, "scheme_funding", self.scheme)


class FundingClaimView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = ClaimForm
    submit_label = "Record the claim"

    def get_object(self):
        self.funding = selectors.funding_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self):
        return f"Claim a tranche of {self.funding}"

    def get_cancel_url(self):
        return _url(self, "scheme_funding", self.funding.scheme)

    def save(self, form):
        return services.claim_make(access=self.access, funding=self.funding, **form.cleaned_data)

    def get_success_url(self, obj):
        return _url(self, "scheme_funding", self.funding.scheme)

    def success_message(self, obj):
        return f"Claimed £{obj.amount:,.2f}: the {obj}."


class ClaimPaidView(TenantPage):
    permissions = {"POST": MANAGE}

    def post(self, request, *args, **kwargs):
        claim = selectors.claim_get(access=self.access, public_id=kwargs["public_id"])
        form = PaidForm(request.POST)
        if form.is_valid():
            try:
                services.claim_paid(access=self.access, claim=claim, paid_on=form.cleaned_data["paid_on"])
            except ValidationError as error:
                apply_validation_error(form, error)
        problems = [e for errors in form.errors.values() for e in errors]
        if problems:
            messages.error(request, " ".join(problems))
        else:
            messages.success(request, f"Recorded the {claim} as paid.")
        return redirect(_url(self, "scheme_funding", claim.funding.scheme))
