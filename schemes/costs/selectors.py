"""Reads of cost entries, scoped by the access object: the umbrella's own business, staff only."""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Round
from django.shortcuts import get_object_or_404

from accounts.access import Access
from accounts.models import User
from partnerships.organisations.models import RoleRate
from schemes.models import CostEntry, CostKind

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _rate_on_the_day():
    """The role's hourly rate in force on the entry's date (the newest from on or before it)."""
    return Subquery(
        RoleRate.objects.filter(staff_role=OuterRef("staff_role"), effective_from__lte=OuterRef("on"))
        .order_by("-effective_from")
        .values("hourly_rate")[:1],
        output_field=_MONEY,
    )


def with_costs(entries: QuerySet[CostEntry]) -> QuerySet[CostEntry]:
    """Each entry with `rate` (staff time: the role's rate on its date) and `cost` (staff time:
    hours × that rate, to the penny, as the recoupment calculator counts it; an expense: its amount
    before VAT). A time entry whose role had no rate on its date has neither."""
    return entries.annotate(
        rate=Case(When(kind=CostKind.TIME, then=_rate_on_the_day()), default=None, output_field=_MONEY),
    ).annotate(
        cost=Case(
            When(kind=CostKind.TIME, then=Round(F("hours") * F("rate"), 2, output_field=_MONEY)),
            default=F("amount"),
            output_field=_MONEY,
        ),
    )


def cost_entry_list(
    *, access: Access, scheme=None, clt=None, kind: str = "", date_from=None, date_to=None, person=None
) -> QuerySet[CostEntry]:
    qs = CostEntry.objects.filter(umbrella=access.umbrella)
    if not access.is_staff:
        return qs.none()
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if clt is not None:
        qs = qs.filter(clt=clt)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(on__gte=date_from)
    if date_to:
        qs = qs.filter(on__lte=date_to)
    if person is not None:
        qs = qs.filter(person=person)
    return with_costs(qs.select_related("clt", "scheme", "person", "staff_role")).order_by("-on", "-created_at", "pk")


def cost_entry_totals(entries: QuerySet[CostEntry]) -> dict:
    """The totals of a list of entries (as filtered): how many, hours, cost before VAT, VAT, and
    how many time entries have no rate on their date (counted at nothing until one is set)."""
    zero = Value(Decimal("0.00"), output_field=_MONEY)
    found = entries.order_by().aggregate(
        n=Count("pk"),
        all_hours=Coalesce(
            Sum("hours"), Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
        ),
        all_cost=Coalesce(Sum("cost"), zero),
        all_vat=Coalesce(Sum("vat"), zero),
        n_unrated=Count("pk", filter=Q(kind=CostKind.TIME, rate__isnull=True)),
    )  # named apart from the entries' own annotations (an aggregate may not share one's name)
    return {
        "count": found["n"],
        "hours": found["all_hours"],
        "cost": found["all_cost"],
        "vat": found["all_vat"],
        "with_vat": found["all_cost"] + found["all_vat"],
        "unrated": found["n_unrated"],
    }


def cost_people(*, access: Access) -> QuerySet[User]:
    """The people whose time the umbrella has recorded (staff who have since left among them)."""
    if not access.is_staff:
        return User.objects.none()
    people = CostEntry.objects.filter(umbrella=access.umbrella, person__isnull=False).values("person")
    return User.objects.filter(pk__in=people).order_by("first_name", "last_name", "email")


def cost_entry_get(*, access: Access, public_id) -> CostEntry:
    return get_object_or_404(cost_entry_list(access=access), public_id=public_id)
