"""Issue 19: an umbrella brings in its existing CLTs, sites and schemes from CSV, each scheme at its
current stage since a stated date: every row or none, errors by line and column. The stage date is
what recoupment reads as "went ahead"."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clts.models import CLT, Parish
from schemes.models import Scheme, Site, StageChange
from schemes.stages import Stage
from tests.conftest import client_for

HEADER = "clt,scheme,stage,stage date,housing association,parish,district,site,social rent,affordable rent,shared ownership,note\n"


def post(world, text: str):
    return client_for(world, "staff").post(
        reverse("scheme_import", kwargs={"umbrella_slug": world.a.umbrella.slug}),
        {"file": SimpleUploadedFile("history.csv", text.encode(), "text/csv")},
    )


def test_existing_clts_sites_and_schemes_come_in_at_their_stage_and_date(world):
    t = world.a
    ha = t.objects["ha"]
    text = HEADER + (
        f"Upper Hollow CLT,Barn Field,Start on site,2025-09-15,{ha.name},Upper Hollow,Mid Devon,Barn Field site,4,6,2,Start notice 15 Sep\n"
        f"Upper Hollow CLT,Church View,Design,2026-02-01,,Upper Hollow,Mid Devon,Church View site,0,3,0,\n"
        f"{t.objects['clt'].name},Old School,Withdrawn,2024-03-01,,,,,0,0,0,Landowner withdrew\n"
    )
    response = post(world, text)
    assert response.status_code == 302, response.content.decode()[:2000]

    new_clt = CLT.objects.get(umbrella=t.umbrella, name="Upper Hollow CLT")
    assert Parish.objects.filter(umbrella=t.umbrella, name="Upper Hollow", district="Mid Devon").count() == 1
    barn = Scheme.objects.get(umbrella=t.umbrella, name="Barn Field")
    assert (barn.clt, barn.stage, barn.housing_association, barn.homes_total) == (new_clt, Stage.START_ON_SITE, ha, 12)
    assert Site.objects.get(umbrella=t.umbrella, name="Barn Field site").parish.name == "Upper Hollow"
    (move,) = StageChange.objects.filter(scheme=barn)
    assert timezone.localdate(move.changed_at) == date(2025, 9, 15) and move.recorded_later
    assert move.note == "Start notice 15 Sep"
    old = Scheme.objects.get(umbrella=t.umbrella, name="Old School")
    assert old.clt == t.objects["clt"] and old.stage == Stage.WITHDRAWN

    # The went-ahead date recoupment reads is the stage's date.
    from accounts.access import access_for
    from partnerships.recoupment.calculator import recoupment_calculate

    access = access_for(user=t.users["staff"], umbrella_slug=t.umbrella.slug)
    result = recoupment_calculate(
        access=access, housing_association=ha, period_start=date(2025, 4, 1), period_end=date(2026, 3, 31)
    )
    row = next(s for s in result.schemes if s.scheme == barn)
    assert (row.state, row.went_ahead_on) == ("gone_ahead", date(2025, 9, 15))


def test_a_file_with_problems_brings_in_nothing_and_says_each_by_line(world):
    t = world.a
    before = (CLT.objects.count(), Scheme.objects.count(), Site.objects.count(), Parish.objects.count())
    text = HEADER + (
        "New CLT,Good Row,Design,2026-01-01,,,,,1,1,1,\n"
        f"{t.objects['clt'].name},{t.objects['scheme'].name},Design,2026-01-01,,,,,0,0,0,\n"
        "New CLT,Far Field,Nowhere,2099-01-01,No Such HA,Solo,,Far site,x,0,0,\n"
        "New CLT,Good Row,Design,2026-01-01,,,,,0,0,0,\n"
    )
    response = post(world, text)
    body = response.content.decode()
    assert response.status_code == 400
    for expected in (
        f"Line 3, column “scheme”: “{t.objects['scheme'].name}” of {t.objects['clt'].name} is already in Fieldgate.",
        "Line 4, column “stage”: “Nowhere” is not a stage",
        "Line 4, column “stage date”: 1 Jan 2099 is after today",
        "Line 4, column “housing association”: no HA partner called “No Such HA”: add it first.",
        "Line 4, column “district”: give both the parish and its district.",
        "Line 4, column “site”: “Far site” is a new site: give its parish and district too.",
        "Line 4, column “social rent”: “x” is not a number of homes",
        "Line 5, column “scheme”: “Good Row” of New CLT is also on line 2.",
    ):
        assert expected in body, expected
    assert (CLT.objects.count(), Scheme.objects.count(), Site.objects.count(), Parish.objects.count()) == before


def test_the_scheme_list_offers_the_import_to_staff_only(world):
    url = reverse("scheme_import", kwargs={"umbrella_slug": world.a.umbrella.slug})
    listing = reverse("scheme_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    assert url in client_for(world, "staff").get(listing).content.decode()
    assert url not in client_for(world, "ha_team").get(listing).content.decode()
    assert client_for(world, "volunteer").get(url).status_code == 403
