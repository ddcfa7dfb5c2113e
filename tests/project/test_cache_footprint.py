"""The cache's footprint is bounded (issue 14): every key Fieldgate writes to Redis carries an
expiry, so the production Redis (maxmemory with volatile-lru, docker-compose.yml) may evict any
of them and never a queued task, which carries none."""

from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse

from tests.conftest import SECURITY_SUMMARY, client_for
from tests.permissions.matrix import MATRIX

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("role", ["staff", "volunteer", "ha_team"])
def test_every_key_written_while_pages_are_drawn_carries_an_expiry(world, settings, role):
    client = client_for(world, role)
    for case in MATRIX:
        if case.method == "GET":
            url = reverse(case.url_name, kwargs={"umbrella_slug": world.a.umbrella.slug, **case.kwargs(world.a)})
            client.get(url + ("?" + case.query if case.query else ""))
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    server = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    keys = list(server.scan_iter(match=f"{prefix}:*", count=1000))
    assert keys, "the pages wrote nothing to the cache"
    forever = [key for key in keys if server.ttl(key) < 0]
    SECURITY_SUMMARY["cache_keys_checked"] += len(keys)
    SECURITY_SUMMARY["cache_keys_without_expiry"] += len(forever)
    assert not forever, f"keys kept for ever: {forever[:10]}"


def test_the_production_redis_is_bounded_and_evicts_only_what_expires():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert '"--maxmemory", "256mb"' in compose and '"--maxmemory-policy", "volatile-lru"' in compose


def test_what_staff_and_admins_share_holds_nothing_of_either_person(world, settings):
    """Admins and staff share kept reads (one data scope): what is kept is drawn from the data
    alone, never with a CSRF token or anything of the person who happened to ask first."""
    pages = [
        ("umbrella_home", {}),
        ("scheme_list", {}),
        ("scheme_detail", {"public_id": world.a.objects["scheme"].public_id}),
    ]
    for role in ("staff", "admin"):
        client = client_for(world, role)
        for name, kwargs in pages:
            response = client.get(reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs}))
            assert response.status_code == 200
            if name == "scheme_detail":  # the stage form, drawn for the viewer around the fragments
                assert b"csrfmiddlewaretoken" in response.content
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    server = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    kept = [server.get(key) for key in server.scan_iter(match=f"{prefix}:*:fieldgate:read:*", count=1000)]
    assert len(kept) >= 3
    people = [world.a.users[r] for r in ("staff", "admin")]
    for value in kept:
        assert b"csrfmiddlewaretoken" not in value
        for person in people:
            assert person.email.encode() not in value and person.get_full_name().encode() not in value


@pytest.mark.parametrize(
    "template", ["{{ access.is_admin }}", "{{ access.user }}", "{{ user.email }}", "{{ request.session }}"]
)
def test_a_fragment_that_asks_who_is_looking_fails_loudly(world, template):
    """A kept fragment for staff is not told the person, the admin flag or the request: a template
    that reads them raises instead of drawing one person's page for another."""
    from django.core.exceptions import ImproperlyConfigured
    from django.template import Context, Template
    from django.test import RequestFactory

    from accounts.access import access_for
    from accounts.views_base import TenantView

    view = TenantView()
    view.request = RequestFactory().get("/")
    view.access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    view.umbrella = view.access.umbrella
    with pytest.raises(ImproperlyConfigured):
        Template(template).render(Context(view.fragment_context()))
    assert Template("{{ access.is_staff }}").render(Context(view.fragment_context())) == "True"
