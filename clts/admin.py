"""Django admin, for superusers only (DESIGN.md section 1): a window on the rows, by umbrella."""

from django.contrib import admin

from clts.models import AGM, CLT, AdviceSession, Parish, Person, RevenueGrant

admin.site.register(CLT, list_display=["name", "setup_status", "umbrella"], list_filter=["umbrella"])
admin.site.register(Parish, list_display=["name", "district", "umbrella"], list_filter=["umbrella"])
admin.site.register(
    Person,
    list_display=["name", "role", "clt", "term_start", "term_end", "umbrella"],
    list_filter=["umbrella", "role"],
    raw_id_fields=["clt"],
)
admin.site.register(
    AdviceSession,
    list_display=["given_on", "topic", "clt", "hours", "given_by", "umbrella"],
    list_filter=["umbrella", "topic"],
    raw_id_fields=["clt", "given_by"],
)
admin.site.register(
    RevenueGrant,
    list_display=["funder", "programme", "clt", "status", "amount_requested", "amount_awarded", "umbrella"],
    list_filter=["umbrella", "status"],
    raw_id_fields=["clt"],
)
admin.site.register(
    AGM,
    list_display=["held_on", "clt", "members_present", "umbrella"],
    list_filter=["umbrella"],
    raw_id_fields=["clt"],
)
