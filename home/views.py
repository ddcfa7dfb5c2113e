"""Each role's home page. Thin: home.dashboards gathers the figures through each app's selectors."""

from django.utils import timezone

from accounts import services
from accounts.selectors import changes_since
from accounts.views_base import TenantPage
from home import dashboards


class HomeView(TenantPage):
    """Each role's dashboard: the first questions it asks, answered at a glance."""

    permissions = {"GET": "umbrella.view"}

    def get_template_names(self):
        return [f"home/home_{self.access.role}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access, today = self.access, timezone.localdate()
        role = "staff" if access.is_staff else access.role
        drawn = self.kept_fragments(
            "home",
            {"body": f"home/_home_{role}_body.html"},
            lambda: dashboards.home(access=access, today=today),
            also=_around_ha_home if access.is_ha_team else None,
        )
        context["body"] = drawn["body"]
        if access.is_ha_team:
            since = services.membership_mark_seen(access=access)
            context.update(
                since=since,
                changes=changes_since(access=access, since=since, scheme_ids=drawn["related_ids"]),
                ha_names=drawn["ha_names"],
            )
        return context


def _around_ha_home(figures: dict) -> dict:
    """What the HA team's page draws around its kept body: its HAs' names, and the records whose
    changes count as "changed since your last visit"."""
    return {"related_ids": figures["related_ids"], "ha_names": [ha.name for ha in figures["housing_associations"]]}
