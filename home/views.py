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
        figures = lambda: dashboards.home(access=access, today=today)  # noqa: E731
        if access.is_ha_team:  # the page around the fragment names the team's HAs and what changed
            figures = self.kept("home", figures)
        role = "staff" if access.is_staff else access.role
        context["body"] = self.kept_fragment("home", f"home/_home_{role}_body.html", figures)
        if access.is_ha_team:
            since = services.membership_mark_seen(access=access)
            context.update(
                since=since,
                changes=changes_since(access=access, since=since, scheme_ids=figures["related_ids"]),
                ha_names=[ha.name for ha in figures["housing_associations"]],
            )
        return context
