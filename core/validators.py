"""Field validators shared by the apps, each with a message in plain words."""

from django.core.exceptions import ValidationError
from django.utils import timezone


def not_in_future(value) -> None:
    """A date of something already done (registered, incorporated, completed): today or before."""
    today = timezone.localdate()
    if value is not None and value > today:
        raise ValidationError(
            "%(value)s is after today: give today's date (%(today)s) or an earlier one.",
            code="future",
            params={"value": f"{value:%-d %b %Y}", "today": f"{today:%-d %b %Y}"},
        )
