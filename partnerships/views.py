from accounts.views_base import TenantListView, TenantPage
from schemes.selectors import scheme_list

from . import selectors
from .forms import HousingAssociationFilterForm


class HousingAssociationListView(TenantListView):
    permissions = {"GET": "partners.view"}
    template_name = "partnerships/ha_list.html"
    filter_form_class = HousingAssociationFilterForm
    sort_fields = {"name": "name", "homes": "homes_managed", "schemes": "scheme_count"}
    default_sort = "name"
    csv_filename = "housing-associations.csv"
    csv_columns = [
        ("Name", lambda ha: ha.name),
        ("Homes managed", lambda ha: ha.homes_managed),
        ("Staff", lambda ha: ha.staff_count),
        ("Area of operation", lambda ha: "; ".join(ha.areas)),
        ("Schemes", lambda ha: ha.scheme_count),
    ]

    def get_queryset(self, **filters):
        return selectors.housing_association_list(access=self.access, **filters)


class HousingAssociationDetailView(TenantPage):
    permissions = {"GET": "partners.view"}
    template_name = "partnerships/ha_detail.html"

    def get_context_data(self, **kwargs):
        ha = selectors.housing_association_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context["ha"] = ha
        context["agreements"] = selectors.agreement_list(access=self.access, housing_association=ha)
        context["schemes"] = scheme_list(access=self.access, housing_association=ha)
        return context
