"""The ASELA programme demo: loaded into the South Essex umbrella, with invented people, and a
second run changes nothing."""

from datetime import date
from decimal import Decimal

from django.apps import apps

from demo.programmes import load_programmes_demo
from demo.schemes import load_south_essex
from partnerships.programmes.models import CaseStudy, Programme, Representative

PROGRAMME_MODELS = [
    m
    for m in apps.get_app_config("partnerships").get_models()
    if m.__module__ == "partnerships.programmes.models" and m is not CaseStudy
]


def everything():
    return {
        m.__name__: sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in m.objects.values())
        for m in PROGRAMME_MODELS
    }


def test_the_demo_loads_the_asela_programme_and_twice_changes_nothing(db):
    load_south_essex()
    programme = load_programmes_demo()
    first = everything()
    assert load_programmes_demo().pk == programme.pk
    assert everything() == first

    assert programme.umbrella.slug == "south-essex"
    assert programme.funding_amount == Decimal("20000.00") and programme.duration_months == 9
    names = set(programme.members.values_list("organisation__name", flat=True))
    assert {
        "Castle Point Borough Council",
        "Rochford District Council",
        "Brentwood Borough Council",
        "Estuary Homes",
        "Crouch Valley Housing",
        "Thameside Community Homes",
        "Weald and Marsh Housing",
        "Homes England",
    } == names
    assert programme.members.filter(organisation__housing_association__isnull=False).count() == 4
    mou = programme.agreements.get(kind="mou")
    assert mou.signed_on == date(2022, 1, 17)
    assert programme.engagements.filter(reschedules__isnull=False).exists()
    assert programme.engagements.filter(kind="one_to_one").exists()
    assert programme.exemplar_sites.exists() and programme.next_steps.count() == 2
    # Invented people only: none of the names the published case study gives.
    people = " ".join(Representative.objects.values_list("name", flat=True)) + " ".join(
        programme.quotes.values_list("attribution_name", flat=True)
    )
    for real in ("Stephenson", "Gibbons", "Butt"):
        assert real not in people
    assert Programme.objects.filter(umbrella=programme.umbrella).count() == 1
