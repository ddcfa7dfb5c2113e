from django.urls import path

from . import views

urlpatterns = [
    path("clts/", views.CLTListView.as_view(), name="clt_list"),
    path("clts/<uuid:public_id>/", views.CLTDetailView.as_view(), name="clt_detail"),
]
