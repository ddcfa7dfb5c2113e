"""Each role's home page. Thin: home.dashboards gathers the figures through each app's selectors."""

from django.template.loader import render_to_string
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
        body_role = "staff" if access.is_staff else access.role

        def draw() -> dict:
            figures = dashboards.home(access=access, today=today)
            body = render_to_string(
                f"home/_home_{body_role}_body.html",
                {**figures, "access": access, "umbrella": access.umbrella, "user": access.user},
            )
            return {
                "body": body,
                "related_ids": figures.get("related_ids", []),
                "ha_names": [ha.name for ha in figures.get("housing_associations", [])],
            }

        drawn = self.drawn_once("home", draw)
        context.update(body=drawn["body"], ha_names=drawn["ha_names"])
        if access.is_ha_team:
            since = services.membership_mark_seen(access=access)
            context.update(
                since=since, changes=changes_since(access=access, since=since, scheme_ids=drawn["related_ids"])
            )
        return context
