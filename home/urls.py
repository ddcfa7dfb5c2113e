"""The umbrella's home page (mounted under /u/<umbrella_slug>/)."""

from django.urls import path

from home import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="umbrella_home"),
]
