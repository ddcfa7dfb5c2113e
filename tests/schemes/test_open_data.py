"""Issue 16.4: the umbrella's sites and schemes as open data, CSV and JSON, in the CORE code lists,
with nothing private in them."""

import csv
import io
import json

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _get(world, name, **query):
    from django.urls import reverse

    url = reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug})
    response = client_for(world, "staff").get(url, query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_schemes_by_tenure_in_the_digital_land_and_core_code_lists(world):
    scheme = world.a.objects["scheme"]  # 6 affordable rent and 2 shared ownership (the factory's)
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
    sites = json.loads(_get(world, "open_data_sites", format="json"))["entities"]
    site = next(s for s in sites if s["site"] == str(world.a.objects["site"].public_id))
    assert site["scheme"] == str(world.a.objects["scheme"].public_id) and "landowner" not in site
