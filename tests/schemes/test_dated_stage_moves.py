"""Issue 19: a stage move may be dated in the past, for history entered after the event. It is
neither in the future nor before the scheme's last move, it needs a note, and the history shows
both when it happened and when it was recorded. The dated move is what recoupment reads: the
"went ahead" date, costs by stage and whether a withdrawn scheme's costs are absorbed.

Worked figures (the fixed-fee agreement of tests.partnerships.test_statements.build, £4,500 a
home; the scheme has 8 affordable rent + 4 shared ownership = 12 homes):
  recoverable once gone ahead = 12 × £4,500 = £54,000.00
  time at £50.00 an hour: 2 h on 10 Mar 2026 = £100.00 (before the move, at "Freehold acquired and lease granted");
                          3 h on 20 Mar 2026 = £150.00 (after the move dated 15 Mar, at Start on site).
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.organisations.models import StaffRole
from partnerships.recoupment.calculator import recoupment_calculate
from schemes import services
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.partnerships.test_statements import build

D = Decimal


def scheme_at_freehold(access, scheme):
    """The statements' scheme, put back to Freehold and lease since 1 Jan 2026 (its history so)."""
    StageChange.objects.filter(scheme=scheme).delete()
    type(scheme).objects.filter(pk=scheme.pk).update(stage=Stage.FREEHOLD_AND_LEASE)
    StageChange.objects.create(
        umbrella=access.umbrella,
        scheme=scheme,
        to_stage=Stage.FREEHOLD_AND_LEASE,
        changed_at=timezone.make_aware(datetime(2026, 1, 1, 9)),
    )
    CostEntry.objects.filter(scheme=scheme).delete()
    role = StaffRole.objects.get(umbrella=access.umbrella)
    for on, hours in [(date(2026, 3, 10), "2"), (date(2026, 3, 20), "3")]:
        CostEntry.objects.create(
            umbrella=access.umbrella, kind="time", clt=scheme.clt, scheme=scheme, on=on,
            person=access.user, staff_role=role, hours=D(hours), activity="Site meeting",
        )  # fmt: skip
    scheme.refresh_from_db()
    return scheme


def figures(access, ha, end):
    result = recoupment_calculate(access=access, housing_association=ha, period_start=date(2026, 1, 1), period_end=end)
    (row,) = result.schemes
    return row


@pytest.mark.django_db
def test_a_move_dated_in_the_past_sets_went_ahead_and_costs_by_stage():
    access, ha, _team, scheme = build()
    scheme = scheme_at_freehold(access, scheme)

    services.scheme_advance_stage(
        access=access, scheme=scheme, to_stage=Stage.START_ON_SITE, on=date(2026, 3, 15),
        note="Start notice from the contractor, 15 March 2026",
    )  # fmt: skip

    change = StageChange.objects.filter(scheme=scheme).latest("changed_at")
    assert timezone.localdate(change.changed_at) == date(2026, 3, 15)
    assert timezone.localdate(change.recorded_at) == timezone.localdate() and change.recorded_later
    march = figures(access, ha, date(2026, 3, 31))
    assert (march.state, march.went_ahead_on, march.recoverable) == ("gone_ahead", date(2026, 3, 15), D("54000.00"))
    assert march.costs_by_stage == {"Freehold acquired and lease granted": D("100.00"), "Start on site": D("150.00")}
    february = figures(access, ha, date(2026, 2, 28))
    assert (february.state, february.recoverable) == ("at_risk", D("0"))


@pytest.mark.django_db
def test_a_withdrawal_dated_after_a_period_leaves_that_period_at_risk():
    access, ha, _team, scheme = build()
    scheme = scheme_at_freehold(access, scheme)
    services.scheme_advance_stage(
        access=access, scheme=scheme, to_stage=Stage.WITHDRAWN, on=date(2026, 3, 15),
        note="Landowner withdrew, letter of 15 March 2026",
    )  # fmt: skip
    assert figures(access, ha, date(2026, 2, 28)).state == "at_risk"  # not yet withdrawn then
    march = figures(access, ha, date(2026, 3, 31))
    assert (march.state, march.costs_to_date) == ("absorbed", D("250.00"))


@pytest.mark.django_db
def test_a_dated_move_is_refused_in_the_future_before_the_last_move_or_without_a_note():
    access, _ha, _team, scheme = build()
    scheme = scheme_at_freehold(access, scheme)
    today = timezone.localdate()

    with pytest.raises(ValidationError) as future:
        services.scheme_advance_stage(
            access=access, scheme=scheme, to_stage=Stage.ON_HOLD, note="Paused", on=date(today.year + 1, 1, 1)
        )
    assert future.value.message_dict == {"on": [f"A move cannot be dated after today ({today:%-d %b %Y})."]}

    with pytest.raises(ValidationError) as both:
        services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.START_ON_SITE, on=date(2025, 12, 1))
    assert both.value.message_dict == {  # both problems at once
        "on": ["The scheme's last move was on 1 Jan 2026: a move cannot be dated before it."],
        "note": ["Say what the past date rests on (a board minute, a letter, a start notice)."],
    }
    assert StageChange.objects.filter(scheme=scheme).count() == 1
    scheme.refresh_from_db()
    assert scheme.stage == Stage.FREEHOLD_AND_LEASE


@pytest.mark.django_db
def test_two_moves_on_one_past_day_keep_their_order():
    access, _ha, _team, scheme = build()
    scheme = scheme_at_freehold(access, scheme)
    for to_stage in (Stage.ON_HOLD, Stage.WITHDRAWN):
        scheme.refresh_from_db()
        services.scheme_advance_stage(
            access=access, scheme=scheme, to_stage=to_stage, on=date(2026, 2, 2), note="Board minute 2 Feb"
        )
    moves = list(StageChange.objects.filter(scheme=scheme).order_by("changed_at", "id"))
    assert [m.to_stage for m in moves] == [Stage.FREEHOLD_AND_LEASE, Stage.ON_HOLD, Stage.WITHDRAWN]
    assert moves[1].changed_at < moves[2].changed_at
    assert {timezone.localdate(m.changed_at) for m in moves[1:]} == {date(2026, 2, 2)}


@pytest.mark.django_db
def test_the_scheme_page_dates_a_move_and_shows_when_it_was_recorded():
    access, _ha, _team, scheme = build()
    scheme = scheme_at_freehold(access, scheme)
    client = Client()
    client.force_login(access.user)
    page_url = reverse("scheme_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": scheme.public_id})
    page = client.get(page_url).content.decode()
    assert 'name="on"' in page and "Date of the move" in page

    refused = client.post(
        reverse("scheme_stage", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": scheme.public_id}),
        {"to_stage": Stage.ON_HOLD, "on": "2025-06-01", "note": ""},
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "a move cannot be dated before it" in body and "Say why the scheme is going on hold" in body

    moved = client.post(
        reverse("scheme_stage", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": scheme.public_id}),
        {"to_stage": Stage.ON_HOLD, "on": "2026-02-02", "note": "Board minute of 2 February"},
    )
    assert moved.status_code == 302
    page = client.get(page_url).content.decode()
    recorded = timezone.localdate()
    assert "2 Feb 2026</time> · On hold" in page
    assert "(recorded <time datetime=" in page and f"{recorded:%-d %b %Y}</time>)" in page
