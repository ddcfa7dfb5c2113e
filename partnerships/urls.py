from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.HousingAssociationListView.as_view(), name="ha_list"),
    path("partners/<uuid:public_id>/", views.HousingAssociationDetailView.as_view(), name="ha_detail"),
]
