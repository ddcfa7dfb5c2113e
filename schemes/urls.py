from django.urls import path

from . import views

urlpatterns = [
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<uuid:public_id>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
]
