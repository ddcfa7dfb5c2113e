from django.urls import path

from documents import views

urlpatterns = [
    path(
        "documents/of/<str:subject_kind>/<uuid:subject_id>/",
        views.SubjectDocumentsView.as_view(),
        name="subject_documents",
    ),
    path(
        "documents/of/<str:subject_kind>/<uuid:subject_id>/new/",
        views.DocumentCreateView.as_view(),
        name="document_create",
    ),
    path("documents/<uuid:public_id>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<uuid:public_id>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("documents/<uuid:public_id>/versions/new/", views.VersionCreateView.as_view(), name="document_version_create"),
    path("documents/files/<uuid:public_id>/", views.VersionDownloadView.as_view(), name="document_file"),
]
