"""Housing need: surveys entered or imported, and a scheme's mix against the evidenced need."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.access import access_for
from clts.models import HousingNeed, HousingNeedSurvey
from clts.needs.selectors import scheme_mix_against_need

pytestmark = pytest.mark.django_db


def url(world, name, **kw):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kw})


def staff(world):
    client = Client()
    client.force_login(world.a.users["staff"])
    return client


def test_a_survey_entered_in_the_grid(world):
    response = staff(world).post(
        url(world, "survey_create"),
        {
            "parish": world.a.objects["other_clt"].parishes.first().pk,
            "surveyed_on": "2026-05-31",
            "households_surveyed": 180,
            "responses": 72,
            "need_social_rent_1": 3,
            "need_affordable_rent_2": 4,
            "need_shared_ownership_3": 2,
        },
    )
    assert response.status_code == 302
    survey = HousingNeedSurvey.objects.get(households_surveyed=180)
    assert {(n.tenure, n.bedrooms): n.households for n in survey.needs.all()} == {
        ("social_rent", 1): 3,
        ("affordable_rent", 2): 4,
        ("shared_ownership", 3): 2,
    }
    page = staff(world).get(response["Location"]).content.decode()
    assert "9 in all" in page and "72 (40%)" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"responses": 300}, "more responses than households"),
        ({"need_social_rent_1": -1}, "Give 0 or more."),
        ({"need_social_rent_1": 500}, "more than the 80 that responded"),
    ],
)
def test_bad_survey_input_changes_nothing(world, change, message):
    before = HousingNeedSurvey.objects.count(), HousingNeed.objects.count()
    data = {
        "parish": world.a.objects["parish"].pk,
        "surveyed_on": "2026-05-31",
        "households_surveyed": 200,
        "responses": 80,
        **change,
    }
    response = staff(world).post(url(world, "survey_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert (HousingNeedSurvey.objects.count(), HousingNeed.objects.count()) == before


def test_need_import_is_all_or_nothing_by_line_and_column(world):
    survey = world.a.objects["survey"]
    text = b"tenure,bedrooms,households\nSocial rent,1,4\nCouncil flat,2,1\nFirst Homes,five,2\n"
    response = staff(world).post(
        url(world, "need_import", public_id=survey.public_id), {"file": SimpleUploadedFile("n.csv", text, "text/csv")}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 3, column “tenure”: “Council flat” is not one of" in body
    assert "Line 4, column “bedrooms”: “five” is not 1, 2, 3 or 4+." in body
    assert list(survey.needs.values_list("households", flat=True)) == [5]


def test_scheme_mix_against_the_need_of_its_parish(world):
    # The scheme (site in parish one) plans 6 affordable rent and 2 shared ownership homes; the
    # survey of parish one found 5 households needing 2-bed affordable rent.
    access = access_for(user=world.a.users["volunteer"], umbrella_slug=world.a.umbrella.slug)
    mix = scheme_mix_against_need(access=access, scheme=world.a.objects["scheme"])
    rows = {r["label"]: r for r in mix["tenures"]}
    assert (
        rows["Affordable rent"]["planned"],
        rows["Affordable rent"]["need"],
        rows["Affordable rent"]["difference"],
    ) == (6, 5, 1)
    assert rows["Shared ownership"]["flag"] == "over" and rows["Social rent"]["flag"] == ""
    page = Client()
    page.force_login(world.a.users["ha_team"])
    body = page.get(url(world, "scheme_detail", public_id=world.a.objects["scheme"].public_id)).content.decode()
    assert "Proposed mix against evidenced need" in body and "more than need" in body


def test_volunteers_see_surveys_of_their_parishes_only(world, client_as):
    other = client_as("other_clt_volunteer").get(url(world, "survey_list")).content.decode()
    assert world.a.objects["survey"].parish.name not in other
    mine = client_as("volunteer").get(url(world, "survey_list")).content.decode()
    assert world.a.objects["survey"].parish.name in mine


def test_a_mix_not_yet_recorded_shows_the_need_alone_not_a_shortfall(world):
    # The same survey (5 households needing 2-bed affordable rent); the scheme records no bedroom
    # sizes, so the bedroom rows show the need with no planned figure, no difference and no flag.
    scheme = world.a.objects["scheme"]
    scheme.bedrooms_1 = scheme.bedrooms_2 = scheme.bedrooms_3 = scheme.bedrooms_4_plus = 0
    access = access_for(user=world.a.users["volunteer"], umbrella_slug=world.a.umbrella.slug)
    mix = scheme_mix_against_need(access=access, scheme=scheme)
    two_bed = {r["label"]: r for r in mix["bedrooms"]}["2 bedroom"]
    assert not mix["bedrooms_planned"] and mix["tenures_planned"]
    assert (two_bed["planned"], two_bed["need"], two_bed["difference"], two_bed["flag"]) == (None, 5, None, "")
    assert not any(r["flag"] for r in mix["bedrooms"])
