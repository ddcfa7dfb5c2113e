from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.HousingAssociationListView.as_view(), name="ha_list"),
    path("partners/new/", views.HousingAssociationCreateView.as_view(), name="ha_create"),
    path("partners/<uuid:public_id>/", views.HousingAssociationDetailView.as_view(), name="ha_detail"),
    path("partners/<uuid:public_id>/edit/", views.HousingAssociationEditView.as_view(), name="ha_edit"),
    path("advisers/", views.AdviserFirmListView.as_view(), name="adviser_firm_list"),
    path("advisers/new/", views.AdviserFirmCreateView.as_view(), name="adviser_firm_create"),
    path("advisers/<uuid:public_id>/edit/", views.AdviserFirmEditView.as_view(), name="adviser_firm_edit"),
]
