"""`make bench`'s own parts: the data set is valid and its pages answer, the two-read paginator
shows exactly what the plain one shows, and a CSV streamed in chunks is the same file."""

import csv
import io

import pytest
from django.core.paginator import Paginator
from django.test import Client

from accounts.access import access_for
from accounts.models import User
from accounts.views_base import TwoReadPaginator, stream_csv
from bench import data as benchdata
from bench.load import pages_for
from core.csvexport import CSV_ROWS_PER_CHUNK
from schemes.models import CostEntry, Scheme
from schemes.selectors import scheme_list

pytestmark = pytest.mark.django_db


def test_full_scale_plan_is_the_issue_figures_with_one_umbrella_holding_a_fifth():
    plan = benchdata.plan_counts(1.0)
    assert len(plan["clts"]) == 50
    assert [sum(plan[k]) for k in ("clts", "schemes", "cost_entries", "has")] == [2000, 10000, 500000, 50]
    assert [plan[k][0] for k in ("clts", "schemes", "cost_entries", "has")] == [400, 2000, 100000, 10]


@pytest.fixture
def world():
    return benchdata.build(scale=0.01, vacuum=False)


def test_small_data_set_is_valid_and_every_bench_page_answers(world):
    bench = {"umbrella__slug__startswith": "bench-"}
    assert Scheme.objects.filter(**bench).count() == 100 and CostEntry.objects.filter(**bench).count() == 5000
    assert world.big_counts == {"clts": 4, "schemes": 20, "cost_entries": 1000, "housing_associations": 1}
    for page in pages_for(world):
        client = Client()
        client.force_login(User.objects.get(pk=world.logins[page.role].user_id))
        response = client.get(page.path, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200, (page.role, page.path)
        if response.streaming:
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
            access = access_for(user=User.objects.get(pk=world.logins[page.role].user_id), umbrella_slug=world.slug)
            assert len(rows) - 1 == scheme_list(access=access).count() > 0


@pytest.mark.parametrize(
    "filters, order",
    [({}, ("name", "pk")), ({"rag": "green"}, ("-clt__name", "pk")), ({"stage": "withdrawn"}, ("stage", "pk"))],
)
def test_two_read_paginator_shows_what_the_plain_paginator_shows(world, filters, order):
    access = access_for(user=User.objects.get(pk=world.logins["staff"].user_id), umbrella_slug=world.slug)
    queryset = scheme_list(access=access, **filters).order_by(*order)
    plain, two = Paginator(queryset, 3), TwoReadPaginator(queryset, 3)
    assert plain.num_pages == two.num_pages
    for number in [*plain.page_range, "last", 999]:
        expected, got = plain.get_page(number), two.get_page(number)
        assert [s.pk for s in got] == [s.pk for s in expected] and got.number == expected.number
        assert all(s.clt.name for s in got)  # rows come with their joins (no query per row)


def test_a_csv_streamed_in_chunks_is_the_same_file():
    rows = [[i, f"=row {i}", "a,b"] for i in range(CSV_ROWS_PER_CHUNK * 2 + 7)]
    response = stream_csv(filename="x.csv", header=["n", "text", "pair"], rows=iter(rows))
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 3
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert parsed[0] == ["n", "text", "pair"] and parsed[1:] == [
        [str(i), f"'=row {i}", "a,b"] for i in range(len(rows))
    ]
