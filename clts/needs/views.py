"""Housing needs survey pages."""

from django.urls import reverse

from accounts.records import snapshot
from accounts.selectors import audit_for
from accounts.views_base import TenantFormView, TenantListView, TenantPage
from clts.models import HousingNeedSurvey
from clts.needs import forms, selectors, services


class SurveyListView(TenantListView):
    permissions = {"GET": "clts.view"}
    template_name = "clts/needs/survey_list.html"
    sort_fields = {"parish": "parish__name", "date": "surveyed_on"}
    default_sort = "parish"
    csv_filename = "housing-needs-surveys.csv"
    csv_columns = [
        ("Parish", lambda s: s.parish.name),
        ("District", lambda s: s.parish.district),
        ("Survey closed", lambda s: s.surveyed_on),
        ("Households surveyed", lambda s: s.households_surveyed),
        ("Responses", lambda s: s.responses),
    ]

    def get_queryset(self, **filters):
        return selectors.survey_list(access=self.access, **filters)


class SurveyDetailView(TenantPage):
    permissions = {"GET": "clts.view"}
    template_name = "clts/needs/survey_detail.html"

    def get_context_data(self, **kwargs):
        survey = selectors.survey_get(access=self.access, public_id=kwargs.pop("public_id"))
        grid = selectors.need_grid(survey)
        return super().get_context_data(
            survey=survey,
            grid=grid,
            bedroom_totals=[sum(r["counts"][i] for r in grid) for i in range(4)],
            total=sum(r["total"] for r in grid),
            record_history=audit_for(access=self.access, object_type="housingneedsurvey", object_id=survey.public_id),
            **kwargs,
        )


class SurveyCreateView(TenantFormView):
    permissions = {"GET": "clts.manage", "POST": "clts.manage"}
    form_class = forms.SurveyForm
    template_name = "clts/needs/survey_form.html"
    title = "Record a housing needs survey"
    before = None

    def save(self, form):
        return services.survey_save(access=self.access, survey=form.instance, cells=form.cells(), before=self.before)

    def get_success_url(self, obj):
        return reverse("survey_detail", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": obj.public_id})


class SurveyEditView(SurveyCreateView):
    def get_object(self):
        self.object = selectors.survey_get(access=self.access, public_id=self.kwargs["public_id"])
        self.before = snapshot(self.object)
        return self.object

    def get_title(self):
        return f"Change {self.object}"


class NeedImportView(TenantFormView):
    permissions = {"GET": "clts.manage", "POST": "clts.manage"}
    form_class = forms.NeedImportForm
    submit_label = "Import"

    def get_object(self):
        self.survey = selectors.survey_get(access=self.access, public_id=self.kwargs["public_id"])
        return None

    def get_title(self):
        return f"Import the need found by {self.survey}"

    def save(self, form):
        self.households = services.needs_import(
            access=self.access, survey=self.survey, source=form.cleaned_data["file"]
        )
        return HousingNeedSurvey()

    def success_message(self, obj):
        return f"Imported the need found: {self.households} households."

    def get_success_url(self, obj):
        return reverse(
            "survey_detail", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": self.survey.public_id}
        )
