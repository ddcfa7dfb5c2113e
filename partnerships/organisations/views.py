"""Pages for partner organisations, collaboration agreements, and staff roles with their rates.
Thin: selectors read, services write."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.records import snapshot
from accounts.selectors import audit_for
from accounts.views_base import TenantFormView, TenantListView, TenantPage
from partnerships.organisations import selectors, services
from partnerships.organisations.forms import (
    AdviserFirmFilterForm,
    AdviserFirmForm,
    AgreementForm,
    HousingAssociationFilterForm,
    HousingAssociationForm,
    RoleRateForm,
    StaffRoleForm,
)
from partnerships.organisations.models import CollaborationAgreement, RoleRate
from schemes.selectors import scheme_list


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
        return selectors.housing_association_list(access=self.access, with_scheme_count=True, **filters)


class HousingAssociationDetailView(TenantPage):
    permissions = {"GET": "partners.view"}
    template_name = "partnerships/ha_detail.html"

    def get_context_data(self, **kwargs):
        ha = selectors.housing_association_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context["ha"] = ha
        context["agreements"] = selectors.agreement_list(access=self.access, housing_association=ha)
        context["schemes"] = scheme_list(access=self.access, housing_association=ha)
        context["record_history"] = audit_for(
            access=self.access, object_type="housingassociation", object_id=ha.public_id
        )
        return context


class HousingAssociationCreateView(TenantFormView):
    permissions = {"GET": "partners.manage", "POST": "partners.manage"}
    form_class = HousingAssociationForm
    title = "Add a housing association partner"

    def save(self, form):
        return services.housing_association_create(access=self.access, housing_association=form.instance)

    def get_success_url(self, obj):
        return reverse("ha_detail", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": obj.public_id})


class HousingAssociationEditView(HousingAssociationCreateView):
    def get_object(self):
        self.object = selectors.housing_association_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def save(self, form):
        return services.housing_association_update(
            access=self.access, housing_association=form.instance, before=self.before
        )


class AdviserFirmListView(TenantListView):
    permissions = {"GET": "partners.manage"}
    template_name = "partnerships/adviser_firm_list.html"
    filter_form_class = AdviserFirmFilterForm
    sort_fields = {"name": "name"}
    default_sort = "name"
    csv_filename = "adviser-firms.csv"
    csv_columns = [
        ("Name", lambda f: f.name),
        ("Disciplines", lambda f: f.disciplines),
        ("Contact", lambda f: f.contact_name),
        ("Email", lambda f: f.contact_email),
    ]

    def get_queryset(self, **filters):
        return selectors.adviser_firm_list(access=self.access, **filters)


class AdviserFirmCreateView(TenantFormView):
    permissions = {"GET": "partners.manage", "POST": "partners.manage"}
    form_class = AdviserFirmForm
    title = "Add an adviser firm"

    def save(self, form):
        return services.adviser_firm_create(access=self.access, firm=form.instance)

    def get_success_url(self, obj):
        return reverse("adviser_firm_list", kwargs={"umbrella_slug": self.umbrella.slug})


class AdviserFirmEditView(AdviserFirmCreateView):
    def get_object(self):
        self.object = selectors.adviser_firm_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"

    def save(self, form):
        return services.adviser_firm_update(access=self.access, firm=form.instance, before=self.before)


class StaffRoleListView(TenantPage):
    permissions = {"GET": "costs.view"}
    template_name = "partnerships/staff_role_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roles=selectors.staff_role_list(access=self.access), **kwargs)


class StaffRoleCreateView(TenantFormView):
    permissions = {"GET": "costs.view", "POST": "costs.view"}
    form_class = StaffRoleForm
    title = "Add a staff role"

    def save(self, form):
        return services.staff_role_save(access=self.access, role=form.instance)

    def get_success_url(self, obj):
        return reverse("staff_role_list", kwargs={"umbrella_slug": self.umbrella.slug})


class RoleRateCreateView(TenantFormView):
    permissions = {"GET": "costs.view", "POST": "costs.view"}
    form_class = RoleRateForm

    def get_object(self):
        self.role = get_object_or_404(selectors.staff_role_list(access=self.access), public_id=self.kwargs["public_id"])
        return RoleRate(staff_role=self.role)

    def get_title(self):
        return f"Set a new hourly rate for {self.role}"

    def save(self, form):
        return services.role_rate_add(access=self.access, rate=form.instance)

    def get_success_url(self, obj):
        return reverse("staff_role_list", kwargs={"umbrella_slug": self.umbrella.slug})


class AgreementCreateView(TenantFormView):
    permissions = {"GET": "partners.manage", "POST": "partners.manage"}
    form_class = AgreementForm

    def get_object(self):
        self.ha = selectors.housing_association_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = None
        return CollaborationAgreement(housing_association=self.ha)

    def get_title(self):
        return f"Collaboration agreement with {self.ha}"

    def save(self, form):
        return services.agreement_save(access=self.access, agreement=form.instance, before=self.before)

    def get_success_url(self, obj):
        return reverse("ha_detail", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": self.ha.public_id})


class AgreementEditView(AgreementCreateView):
    def get_object(self):
        agreement = get_object_or_404(selectors.agreement_list(access=self.access), public_id=self.kwargs["public_id"])
        self.ha = agreement.housing_association
        self.before = snapshot(agreement)
        return agreement
