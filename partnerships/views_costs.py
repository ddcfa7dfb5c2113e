"""Staff roles and their rates; collaboration agreements."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.records import snapshot
from accounts.views_base import TenantFormView, TenantPage

from partnerships import selectors, services
from partnerships.forms import AgreementForm, RoleRateForm, StaffRoleForm
from partnerships.models import CollaborationAgreement, RoleRate


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


