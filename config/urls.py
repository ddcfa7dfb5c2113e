from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from core import views as core_views
from schemes import views as scheme_views

# Everything an umbrella owns lives under /u/<umbrella_slug>/ and goes through TenantView.
tenant_patterns = [
    path("", include("home.urls")),
    path("", include("accounts.urls")),
    path("", include("partnerships.urls")),
    path("", include("clts.urls")),
    path("", include("schemes.urls")),
    path("", include("documents.urls")),
]

urlpatterns = [
    path("", account_views.root, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("umbrellas/", account_views.UmbrellaPickerView.as_view(), name="umbrella_picker"),
    path(
        "invitations/accept/<str:token>/",
        account_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("calendar/", scheme_views.CalendarSettingsView.as_view(), name="calendar_settings"),
    path("reminders/", account_views.ReminderSettingsView.as_view(), name="reminder_settings"),
    path("profile/", account_views.ProfileView.as_view(), name="profile"),
    path("profile/tokens/", account_views.ApiTokenCreateView.as_view(), name="api_token_create"),
    path(
        "profile/tokens/<uuid:public_id>/revoke/", account_views.ApiTokenRevokeView.as_view(), name="api_token_revoke"
    ),
    path("calendar/<uuid:token>.ics", scheme_views.calendar_feed, name="calendar_feed"),
    path("accounts/", include("allauth.urls")),
    # The read-only API: JSON under /api/v1/, a person's token (api/).
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("u/<slug:umbrella_slug>/", include(tenant_patterns)),
]

# An error on our side; 503 "try again shortly" when it is the database going away (core/views.py).
handler500 = "core.views.server_error"
# Django's page for a request it refuses before any view; JSON under /api/.
handler400 = "core.views.bad_request"
# Django's 404 page; JSON under /api/.
handler404 = "core.views.page_not_found"
