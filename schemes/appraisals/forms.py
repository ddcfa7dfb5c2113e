"""The appraisal's form: every input, grouped as the page shows them."""

from django import forms

from accounts.views_base import TenantModelForm
from schemes.appraisals.models import Appraisal
from schemes.appraisals.services import appraisal_problems

GROUPS = [
    ("Social rent", ["social_rent_homes", "social_rent_weekly"]),
    ("Affordable rent", ["affordable_rent_homes", "affordable_rent_weekly", "market_rent_weekly"]),
    ("Shared ownership", ["shared_ownership_homes", "shared_ownership_value", "shared_ownership_share",
                          "shared_ownership_rent"]),
    ("Discounted sale", ["discounted_sale_homes", "discounted_sale_value", "discounted_sale_discount"]),
    ("Costs and grant", ["build_cost", "on_costs", "fees", "land_price", "lease_premium", "ground_rent", "grant"]),
    ("The HA's assumptions", ["management_per_home", "voids_percent", "term_years", "discount_rate"]),
]  # fmt: skip


class AppraisalForm(TenantModelForm):
    class Meta:
        model = Appraisal
        fields = [name for _, names in GROUPS for name in names] + ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        # The model's limits, then the service's rules for the whole appraisal: every problem at once.
        super()._post_clean()
        for field, message in appraisal_problems(self.instance).items():
            if field not in self.errors:
                self.add_error(field, message)
