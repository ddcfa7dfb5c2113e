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


@pytest.mark.parametrize("role", ["admin", "staff", "volunteer", "ha_team"])
def test_what_is_kept_is_data_never_a_drawn_page(world, settings, role):
    """Admins and staff share kept reads (one data scope): what is kept must hold nothing drawn for
    one of them (a link, a form, a CSRF token) that another would then be shown."""
    client = client_for(world, role)
    for name, kwargs in [
        ("umbrella_home", {}),
        ("scheme_list", {}),
        ("scheme_detail", {"public_id": world.a.objects["scheme"].public_id}),
    ]:
        client.get(reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs}))
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    server = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    kept = [server.get(key) for key in server.scan_iter(match=f"{prefix}:*:fieldgate:read:*", count=1000)]
    assert len(kept) >= 3
    for value in kept:
        assert b"csrfmiddlewaretoken" not in value and b"<a href" not in value and b"<table" not in value
