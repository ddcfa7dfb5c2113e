"""Appraisal pages: a scheme's versions, one version with its working and sensitivity table, a new
version, a draft's changes, and agreeing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.records import snapshot
from accounts.views_base import TenantFormView, TenantPage
from schemes import selectors as scheme_selectors
from schemes.appraisals import selectors, services
from schemes.appraisals.calculations import STEPS, affordable_rent_share, appraise, sensitivity
from schemes.appraisals.forms import GROUPS, AppraisalForm

VIEW, MANAGE = "appraisals.view", "appraisals.manage"


def _url(view, name, obj) -> str:
    return reverse(name, kwargs={"umbrella_slug": view.umbrella.slug, "public_id": obj.public_id})


class AppraisalListView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/appraisals/appraisal_list.html"

    def get_context_data(self, **kwargs):
        scheme = scheme_selectors.scheme_get(access=self.access, public_id=kwargs.pop("public_id"))
        versions = list(selectors.appraisal_list(access=self.access, scheme=scheme))
        if not versions and not self.access.is_staff:
            from django.http import Http404

            raise Http404("No appraisal.")
        context = super().get_context_data(**kwargs)
        context.update(scheme=scheme, versions=[(a, appraise(a)) for a in versions])
        return context


class AppraisalDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/appraisals/appraisal_detail.html"

    def get_context_data(self, **kwargs):
        appraisal = selectors.appraisal_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            appraisal=appraisal,
            scheme=appraisal.scheme,
            result=appraise(appraisal),
            sensitivity=sensitivity(appraisal),
            steps=STEPS,
            ar_share=affordable_rent_share(appraisal),
            groups=[
                (title, [(appraisal._meta.get_field(n).verbose_name, getattr(appraisal, n)) for n in names])
                for title, names in GROUPS
            ],
        )
        return context


class AppraisalCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = AppraisalForm
    submit_label = "Save the draft"
    intro = (
        "A new version starts as a copy of the latest. Money is in pounds; rents are a week, ground "
        "rent and management a year. Drafts change; an agreed version never does."
    )

    def get_object(self):
        self.scheme = scheme_selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        return services.appraisal_start(access=self.access, scheme=self.scheme)

    def get_title(self):
        return f"New appraisal of {self.scheme}"

    def get_cancel_url(self):
        return _url(self, "appraisal_list", self.scheme)

    def save(self, form):
        return services.appraisal_save(access=self.access, appraisal=form.instance)

    def get_success_url(self, obj):
        return _url(self, "appraisal_detail", obj)


class AppraisalEditView(AppraisalCreateView):
    submit_label = "Save the changes"

    def get_object(self):
        appraisal = selectors.appraisal_get(access=self.access, public_id=self.kwargs["public_id"])
        self.scheme, self.before = appraisal.scheme, snapshot(appraisal)
        return appraisal

    def get(self, request, *args, **kwargs):
        return self._agreed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._agreed() or super().post(request, *args, **kwargs)

    def _agreed(self):
        appraisal = self.get_object()
        if appraisal.is_agreed:
            messages.info(self.request, "An agreed version does not change: start a new version to think again.")
            return redirect(_url(self, "appraisal_detail", appraisal))
        return None

    def get_title(self):
        return f"Change {self.object}"

    def save(self, form):
        return services.appraisal_save(access=self.access, appraisal=form.instance, before=self.before)


class AppraisalAgreeView(TenantPage):
    permissions = {"POST": MANAGE}

    def post(self, request, *args, **kwargs):
        appraisal = selectors.appraisal_get(access=self.access, public_id=kwargs["public_id"])
        try:
            services.appraisal_agree(access=self.access, appraisal=appraisal)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Version {appraisal.version} is agreed at “{appraisal.get_agreed_at_stage_display()}” on "
                f"{timezone.localdate():%-d %b %Y}.",
            )
        return redirect(_url(self, "appraisal_detail", appraisal))
