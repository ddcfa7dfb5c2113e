"""Tenant URLs of accounts (mounted under /u/<umbrella_slug>/)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/invite/", views.InvitationCreateView.as_view(), name="invitation_create"),
    path("members/<uuid:public_id>/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("members/<uuid:public_id>/revoke/", views.MembershipRevokeView.as_view(), name="membership_revoke"),
    path("invitations/<uuid:public_id>/revoke/", views.InvitationRevokeView.as_view(), name="invitation_revoke"),
    path("settings/", views.UmbrellaSettingsView.as_view(), name="umbrella_settings"),
    path("help/", views.UmbrellaHelpView.as_view(), name="umbrella_help"),
    path("exports/<uuid:public_id>/", views.ExportDetailView.as_view(), name="export_detail"),
    path("imports/<uuid:public_id>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("exports/<uuid:public_id>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
