"""Reminders by email (issue 15.5): what is due for a person in an umbrella, read through each
app's selectors with their access, and sent at most once per item.

What is due:
- milestones and tasks they own, overdue or due within 7 days;
- covenant checks of the leases they see, overdue or due within 14 days;
- board terms in the CLTs they see ending within the CLT page's warning period;
- buy-back option windows opening within 180 days (staff and the CLT's volunteers);
- homes fallen vacant that wait for a nomination (staff and the CLT's allocation panel);
- their own API tokens in the umbrella whose last day is within 14 days.

Each item has a key naming it and its due date: a person is reminded of it once (accounts.
ReminderSent), and again only if its date moves. Each person chooses daily, weekly (Mondays) or
never (accounts.User.reminder_frequency); the task runs every morning (Celery beat).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from accounts.access import Access
from accounts.selectors import api_tokens_expiring
from clts.selectors import TermState, person_list
from schemes.relets.selectors import vacancies_awaiting_nomination
from schemes.selectors import milestones_due_for_owner
from schemes.stewardship.selectors import checks_due, option_windows_opening

MILESTONE_DAYS = 7
CHECK_DAYS = 14
OPTION_DAYS = 180
TOKEN_DAYS = 14


@dataclass(frozen=True)
class Due:
    key: str
    what: str
    title: str
    due_on: date
    path: str
    past: str = "overdue since"  # how a date gone by reads
    future: str = "due"

    def line(self, today: date) -> str:
        when = f"{self.past if self.due_on < today else self.future} {self.due_on:%-d %B %Y}"
        return f"{self.what}: {self.title} ({when})"


def due_for(*, access: Access, today: date) -> list[Due]:
    slug = access.umbrella.slug
    items = []
    for m in milestones_due_for_owner(access=access, today=today, within_days=MILESTONE_DAYS):
        items.append(
            Due(
                f"milestone:{m.public_id}:{m.due_on}",
                m.get_kind_display(),
                f"{m.title} ({m.scheme or m.clt})",
                m.due_on,
                reverse("milestone_list", kwargs={"umbrella_slug": slug}),
            )
        )
    for c in checks_due(access=access, today=today, within_days=CHECK_DAYS):
        scheme = c.lease.scheme
        items.append(
            Due(
                f"check:{c.public_id}:{c.due_on}",
                "Covenant check",
                f"{c} ({scheme})",
                c.due_on,
                reverse("stewardship", kwargs={"umbrella_slug": slug, "public_id": scheme.public_id}),
            )
        )
    if access.is_staff or access.is_clt_volunteer:
        for p in person_list(access=access, term=TermState.ENDING_SOON, today=today):
            items.append(
                Due(
                    f"term:{p.public_id}:{p.term_end}",
                    "Board term ending",
                    f"{p.name} ({p.clt})",
                    p.term_end,
                    reverse("clt_detail", kwargs={"umbrella_slug": slug, "public_id": p.clt.public_id}),
                )
            )
    for lease in option_windows_opening(access=access, today=today, within_days=OPTION_DAYS):
        items.append(
            Due(
                f"option:{lease.public_id}:{lease.option_earliest_on}",
                "Buy-back option window opens",
                f"{lease.scheme} (notice: {lease.option_notice_months} months)",
                lease.option_earliest_on,
                reverse("lease_detail", kwargs={"umbrella_slug": slug, "public_id": lease.scheme.public_id}),
            )
        )
    for v in vacancies_awaiting_nomination(access=access):
        items.append(
            Due(
                f"vacancy:{v.public_id}:{v.vacant_from}",
                "Re-let waiting for a nomination",
                f"{v.home} ({v.home.scheme}, {v.home.bedrooms} bedroom{'s' if v.home.bedrooms != 1 else ''})",
                v.vacant_from,
                reverse("vacancy_detail", kwargs={"umbrella_slug": slug, "public_id": v.public_id}),
                past="vacant since",
                future="vacant from",
            )
        )
    for t in api_tokens_expiring(user=access.user, umbrella=access.umbrella, today=today, within_days=TOKEN_DAYS):
        items.append(
            Due(
                f"token:{t.public_id}:{t.expires_on}",
                "API token stops working",
                f"{t.name} ({t.prefix}…): make a new one on your profile page",
                t.expires_on,
                reverse("profile"),
                future="works until",
            )
        )
    return sorted(items, key=lambda d: (d.due_on, d.key))


def sends_today(frequency: str, today: date) -> bool:
    return frequency == "daily" or (frequency == "weekly" and today.weekday() == 0)
