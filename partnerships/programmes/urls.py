"""URLs of strategic partnership programmes (mounted under /u/<umbrella_slug>/)."""

from django.urls import path

from partnerships.programmes import tasks as programmes_tasks  # noqa: F401  (registers the case-study task in the web process)
from partnerships.programmes import views as v

RECORD_KINDS = {
    # kind: URL segment
    "member": "members",
    "representative": "representatives",
    "engagement": "engagements",
    "commitment": "commitments",
    "agreement": "agreements",
    "exemplar_site": "exemplar-sites",
    "next_step": "next-steps",
    "lesson": "lessons",
    "quote": "quotes",
}

urlpatterns = [
    path("programmes/", v.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", v.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/organisations/", v.OrganisationListView.as_view(), name="programme_organisation_list"),
    path("programmes/organisations/new/", v.OrganisationCreateView.as_view(), name="programme_organisation_create"),
    path(
        "programmes/organisations/<uuid:public_id>/edit/",
        v.OrganisationEditView.as_view(),
        name="programme_organisation_edit",
    ),
    path("programmes/<uuid:public_id>/", v.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<uuid:public_id>/edit/", v.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<uuid:public_id>/case-study/", v.CaseStudyRequestView.as_view(), name="case_study_request"),
    path(
        "programmes/engagements/<uuid:public_id>/reschedule/",
        v.EngagementRescheduleView.as_view(),
        name="programme_engagement_reschedule",
    ),
    path("case-studies/<uuid:public_id>/", v.CaseStudyDetailView.as_view(), name="case_study_detail"),
    path("case-studies/<uuid:public_id>/status/", v.CaseStudyStatusView.as_view(), name="case_study_status"),
    path("case-studies/<uuid:public_id>/download/", v.CaseStudyDownloadView.as_view(), name="case_study_download"),
]

for _kind, _segment in RECORD_KINDS.items():
    urlpatterns += [
        path(
            f"programmes/<uuid:public_id>/{_segment}/new/",
            v.RecordCreateView.as_view(kind=_kind),
            name=f"programme_{_kind}_create",
        ),
        path(
            f"programmes/{_segment}/<uuid:public_id>/edit/",
            v.RecordEditView.as_view(kind=_kind),
            name=f"programme_{_kind}_edit",
        ),
    ]
