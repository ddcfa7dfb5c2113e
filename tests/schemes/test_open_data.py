"""Issue 16.4: the umbrella's sites and schemes as open data, CSV and JSON, in the CORE code lists,
with nothing private in them."""

import csv
import io
import json

import pytest

from schemes.models import NegotiationStatus, PlanningStatus, Site
from tests.conftest import client_for
from tests.factories import SchemeFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _get(world, name, **query):
    from django.urls import reverse

    url = reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug})
    response = client_for(world, "staff").get(url, query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_schemes_by_tenure_in_the_digital_land_and_core_code_lists(world):
    scheme = world.a.objects["scheme"]  # 6 affordable rent and 2 shared ownership (the factory's)
    Site.objects.filter(pk=scheme.site_id).update(negotiation_status=NegotiationStatus.OPTION_AGREED)
    raw = _get(world, "open_data_schemes")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = [r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))) if r["scheme"] == str(scheme.public_id)]
    assert {(r["tenure"], r["tenure-type"], r["tenure-code-list"], r["tenure-code"], r["homes"]) for r in rows} == {
        ("Affordable rent", "affordable-rent", "CORE rent type", "1", "6"),
        ("Shared ownership", "home-ownership", "CORE sales ownership scheme", "1", "2"),
    }
    assert rows[0]["stage"] == scheme.stage and rows[0]["housing-association"] == world.a.objects["ha"].name
    data = json.loads(_get(world, "open_data_schemes", format="json"))
    assert data["dataset"] == "schemes" and any(e["scheme"] == str(scheme.public_id) for e in data["entities"])


def test_sites_and_schemes_leave_out_what_is_private(world):
    for name in ("open_data_schemes", "open_data_sites"):
        for fmt in ("csv", "json"):
            text = _get(world, name, format=fmt).decode("utf-8-sig")
            assert world.b.canary not in text
            for word in ("Reason", "landowner", "Agreement note", "Clerk", "£"):
                assert word not in text, (name, fmt, word)
    Site.objects.filter(pk=world.a.objects["site"].pk).update(negotiation_status=NegotiationStatus.OPTION_AGREED)
    sites = json.loads(_get(world, "open_data_sites", format="json"))["entities"]
    site = next(s for s in sites if s["site"] == str(world.a.objects["site"].public_id))
    assert site["scheme"] == str(world.a.objects["scheme"].public_id) and "landowner" not in site


def test_a_site_is_published_once_secured_or_with_a_planning_application(world):
    """A site still in talks (or declined) is not named, nor a scheme on it: that would tell the
    market, and the landowner, what the umbrella is after. Securing it or applying for planning
    makes both public."""
    a = world.a
    parish = a.objects["parish"]
    cases = {
        "Talks": (NegotiationStatus.NEGOTIATING, PlanningStatus.PRE_APPLICATION, False),
        "Heads": (NegotiationStatus.HEADS_OF_TERMS, PlanningStatus.ALLOCATED, False),
        "Declined": (NegotiationStatus.DECLINED, PlanningStatus.NONE, False),
        "Option": (NegotiationStatus.OPTION_AGREED, PlanningStatus.NONE, True),
        "Bought": (NegotiationStatus.PURCHASED, PlanningStatus.NONE, True),
        "Applied": (NegotiationStatus.NEGOTIATING, PlanningStatus.SUBMITTED, True),
        "Refused": (NegotiationStatus.APPROACHED, PlanningStatus.REFUSED, True),
        "Granted": (NegotiationStatus.DECLINED, PlanningStatus.APPROVED, True),
    }
    for name, (negotiation, planning, _) in cases.items():
        site = SiteFactory(umbrella=a.umbrella, parish=parish, name=f"Odp {name}", negotiation_status=negotiation,
                           planning_status=planning)  # fmt: skip
        SchemeFactory(clt=a.objects["clt"], site=site, name=f"Odp scheme {name}")
    SchemeFactory(clt=a.objects["clt"], site=None, name="Odp scheme with no site")
    shown = {name for name, (_, _, public) in cases.items() if public}
    for fmt in ("csv", "json"):
        text = _get(world, "open_data_sites", format=fmt).decode("utf-8-sig")
        assert {name for name in cases if f"Odp {name}" in text} == shown, fmt
        # A scheme is published only on a published site: its name is often the site's.
        text = _get(world, "open_data_schemes", format=fmt).decode("utf-8-sig")
        assert {name for name in cases if f"Odp scheme {name}" in text} == shown, fmt
        assert "Odp scheme with no site" not in text
