from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AuditEvent, Invitation, Membership, Umbrella, User

# Django's admin is for superusers only; everyone else works in the app.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "umbrella", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["umbrella"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "umbrella", "actor", "action", "object_type", "summary"]
    list_filter = ["umbrella", "action", "object_type"]
