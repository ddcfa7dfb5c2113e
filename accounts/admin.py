from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import AuditEvent, Invitation, Membership, Umbrella, User


def _admin_may_enter(request) -> bool:
    """Django's admin is for superusers only (everyone else works in the app), and where
    settings.ADMIN_REQUIRES_TOTP (production) only once they use two-factor: it sees every
    umbrella."""
    from accounts.selectors import user_has_totp

    user = request.user
    if not (user.is_active and user.is_superuser):
        return False
    return not settings.ADMIN_REQUIRES_TOTP or user_has_totp(user)


def _admin_login(request, extra_context=None):
    """The admin has no sign-in form of its own: it sends people to the app's (allauth: failed
    tries throttled per address and account, the second factor asked of those who use it). A
    superuser signed in without two-factor where it is required is sent to set it up; anyone
    else signed in may not enter (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("account_login"))
    if _admin_may_enter(request):
        return redirect(request.GET.get("next") if url_has_allowed_host_and_scheme(
            request.GET.get("next"), allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ) else reverse("admin:index"))  # fmt: skip
    if request.user.is_superuser:
        messages.warning(request, "The admin asks for two-factor authentication: set up an authenticator app first.")
        return redirect("mfa_activate_totp")
    raise PermissionDenied("The admin is for Fieldgate's operators.")


admin.site.has_permission = _admin_may_enter
admin.site.login = _admin_login


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Umbrella)
class UmbrellaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "require_mfa_for_staff"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "umbrella", "role", "clt", "housing_association", "revoked_at"]
    list_filter = ["umbrella", "role"]
    raw_id_fields = ["user", "clt", "housing_association", "created_by", "revoked_by"]
    # Ended on the members page (accounts.services.membership_revoke, which also revokes the
    # person's API tokens there), never brought back here: invite the person again.
    readonly_fields = ["revoked_at", "revoked_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "umbrella", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["umbrella"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "umbrella", "actor", "action", "object_type", "summary"]
    list_filter = ["umbrella", "action", "object_type"]
