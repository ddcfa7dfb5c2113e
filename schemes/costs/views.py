"""Cost entry pages (umbrella staff only)."""

from django.urls import reverse

from accounts.records import snapshot
from accounts.views_base import CSVImportView, TenantDeleteView, TenantFormView, TenantListView
from schemes.costs import selectors, services
from schemes.forms import CostEntryFilterForm, CostEntryForm, TimesheetImportForm

RULE = "costs.view"


class CostEntryListView(TenantListView):
    permissions = {"GET": RULE}
    template_name = "schemes/cost_entry_list.html"
    filter_form_class = CostEntryFilterForm
    sort_fields = {"date": "on", "scheme": "scheme__name", "clt": "clt__name"}
    default_sort = "-date"
    csv_filename = "cost-entries.csv"
    csv_columns = [
        ("Date", lambda e: e.on),
        ("Kind", lambda e: e.get_kind_display()),
        ("CLT", lambda e: e.clt.name),
        ("Scheme", lambda e: e.scheme.name if e.scheme else ""),
        ("Person", lambda e: e.person.display_name if e.person else ""),
        ("Role", lambda e: e.staff_role.name if e.staff_role else ""),
        ("Hours", lambda e: e.hours),
        ("Rate (£ an hour)", lambda e: e.rate if e.kind == "time" else ""),
        ("Activity or description", lambda e: e.activity or e.description),
        ("Amount before VAT (£)", lambda e: e.cost if e.cost is not None else "no rate on this date"),
        ("VAT (£)", lambda e: e.vat if e.kind == "expense" else ""),
        ("Source", lambda e: e.source),
    ]

    def get_queryset(self, **filters):
        return selectors.cost_entry_list(access=self.access, **filters)

    def list_summary(self, queryset) -> dict:
        return {"totals": selectors.cost_entry_totals(queryset)}


class CostEntryCreateView(TenantFormView):
    permissions = {"GET": RULE, "POST": RULE}
    form_class = CostEntryForm
    title = "Record a cost"
    intro = "Staff time is costed at the role's hourly rate in force on the day; expenses are entered before VAT."

    def get_initial(self):
        return {"person": self.request.user, "kind": "time"}

    def save(self, form):
        return services.cost_entry_create(access=self.access, entry=form.instance)

    def get_success_url(self, obj):
        return reverse("cost_entry_list", kwargs={"umbrella_slug": self.umbrella.slug})


class CostEntryEditView(CostEntryCreateView):
    def get_object(self):
        self.object = selectors.cost_entry_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change the cost of {self.object.on:%d %b %Y}"

    def save(self, form):
        return services.cost_entry_update(access=self.access, entry=form.instance, before=self.before)


class CostEntryDeleteView(TenantDeleteView):
    permissions = {"GET": RULE, "POST": RULE}

    def get_object(self):
        return selectors.cost_entry_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        services.cost_entry_delete(access=self.access, entry=obj)

    def get_success_url(self, obj):
        return reverse("cost_entry_list", kwargs={"umbrella_slug": self.umbrella.slug})


class TimesheetImportView(CSVImportView):
    permissions = {"GET": RULE, "POST": RULE}
    form_class = TimesheetImportForm
    title = "Import a timesheet"
    import_kind = "timesheet"

    def import_now(self, upload) -> int:
        return len(services.timesheet_import(access=self.access, source=upload))

    def done_message(self, count):
        return f"Imported {count:,} time entries."

    def get_cancel_url(self):
        return reverse("cost_entry_list", kwargs={"umbrella_slug": self.umbrella.slug})
