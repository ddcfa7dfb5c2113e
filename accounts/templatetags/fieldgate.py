from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import STAFF_ROLES, Role

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ mapping|get_item:key }}."""
    return mapping.get(key) if mapping else None


# --- the layout's links, drawn once per process --------------------------------------------------
# base.html is drawn on every page: reversing its twenty-odd links each time cost more than the
# reads of a page drawn from the cache. The links depend only on the URLconf (fixed while the
# process runs) and on the umbrella and role, so they are drawn once for each.


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% url name %} for a URL with no arguments, reversed once per process."""
    return _fixed_url(name)


@lru_cache(maxsize=64)
def _fixed_url(name: str) -> str:
    return reverse(name)


@register.simple_tag
def main_nav(access) -> str:
    """The main navigation for this access (nothing outside an umbrella)."""
    if not access:
        return ""
    return _main_nav(access.umbrella.slug, access.role, bool(access.panel_clt_ids))


@lru_cache(maxsize=4096)
def _main_nav(slug: str, role: str, on_panel: bool) -> str:
    nav = {
        "is_admin": role == Role.ADMIN,
        "is_staff": role in STAFF_ROLES,
        "is_clt_volunteer": role == Role.CLT_VOLUNTEER,
        "is_ha_team": role == Role.HA_TEAM,
        "on_panel": on_panel,
    }
    return render_to_string("partials/main_nav.html", {"slug": slug, "nav": nav})  # safe: a drawn template


@register.filter
def pounds(value):
    """Money as the pages show it: £1,234.56, and less than nothing as −£1,234.56 (a minus sign,
    before the pound sign)."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"{'−' if amount < 0 else ''}£{abs(amount):,.2f}"
