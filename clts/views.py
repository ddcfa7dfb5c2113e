from accounts.views_base import TenantListView, TenantPage
from schemes.selectors import scheme_list

from . import selectors
from .forms import CLTFilterForm


class CLTListView(TenantListView):
    permissions = {"GET": "clts.view"}
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
    permissions = {"GET": "clts.view"}
    template_name = "clts/clt_detail.html"

    def get_context_data(self, **kwargs):
        clt = selectors.clt_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context["clt"] = clt
        context["schemes"] = scheme_list(access=self.access, clt=clt)
        return context
