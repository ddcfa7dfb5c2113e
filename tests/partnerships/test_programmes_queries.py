"""Query counts of the programme list pages do not grow with rows (the machinery of
tests/project/test_query_budgets.py; its PAGES should list these builders too)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.project import test_query_budgets as qb
from tests.worlds.world_programmes import build_programme_organisations, build_programmes

PAGES = [
    *qb._list("programme_list", build_programmes),
    *qb._list("programme_organisation_list", build_programme_organisations),
]
CASES = [pytest.param(page, role, id=f"{page.id}-{role}") for page in PAGES for role in qb.roles_for(page)]


@pytest.mark.django_db
@pytest.mark.parametrize("page, role", CASES)
def test_programme_list_queries_do_not_grow(page, role):
    t = qb.Tenancy(role)
    kwargs = page.build(t, range(0, qb.FEW))
    url = reverse(page.url_name, kwargs={"umbrella_slug": t.umbrella.slug, **kwargs})
    if page.query:
        url += "?" + page.query
    client = Client()
    client.force_login(t.user)
    qb.measure(client, url)
    few = qb.measure(client, url)
    assert t.mark(0).encode() in few.body
    page.build(t, range(qb.FEW, qb.MANY))
    many = qb.measure(client, url)
    assert sum(t.mark(i).encode() in many.body for i in range(qb.MANY)) >= min(qb.MANY, page.shows_at_least)
    assert many.count == few.count, qb.growth(few, many)
    assert few.count <= qb.DEFAULT_BUDGET, few.sql
