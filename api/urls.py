"""The API's URLs, under /api/v1/ (config/urls.py). An umbrella's data lives under
/api/v1/u/<umbrella_slug>/, as its pages do under /u/<umbrella_slug>/."""

from django.urls import include, path, re_path

from api import views
from api.errors import not_found

tenant_patterns = [
    path("", views.UmbrellaView.as_view(), name="api_umbrella"),
    path("schemes/", views.SchemeListView.as_view(), name="api_scheme_list"),
    path("schemes/<uuid:public_id>/", views.SchemeDetailView.as_view(), name="api_scheme_detail"),
    path("statements/", views.StatementListView.as_view(), name="api_statement_list"),
    path("statements/<uuid:public_id>/", views.StatementDetailView.as_view(), name="api_statement_detail"),
    path("statements/<uuid:public_id>/pdf/", views.StatementPdfView.as_view(), name="api_statement_pdf"),
]

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api_root"),
    path("schema/", views.SchemaView.as_view(), name="api_schema"),
    path("code-lists/tenures/", views.TenureListView.as_view(), name="api_tenures"),
    path("code-lists/stages/", views.StageListView.as_view(), name="api_stages"),
    path("u/<slug:umbrella_slug>/", include(tenant_patterns)),
    re_path(r"", not_found),  # any other path (a newline in it too): JSON 404
]
