from accounts.views_base import TenantListView, TenantPage

from . import selectors
from .forms import SchemeFilterForm


class SchemeListView(TenantListView):
    permissions = {"GET": "schemes.view"}
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
        ("Stage", lambda s: s.get_stage_display()),
        ("RAG", lambda s: s.get_rag_display()),
        ("RAG reason", lambda s: s.rag_reason),
        ("Homes", lambda s: s.homes_total),
        ("Total scheme cost (£)", lambda s: s.total_cost),
    ]

    def get_queryset(self, **filters):
        return selectors.scheme_list(access=self.access, **filters)


class SchemeDetailView(TenantPage):
    permissions = {"GET": "schemes.view"}
    template_name = "schemes/scheme_detail.html"

    def get_context_data(self, **kwargs):
        scheme = selectors.scheme_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context["scheme"] = scheme
        context["history"] = selectors.stage_history(access=self.access, scheme=scheme)
        return context
