"""Production settings pass Django's deploy checks; every response carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import SECURITY_SUMMARY, client_for
from tests.permissions.matrix import MATRIX
from tests.permissions.matrix_base import viewer

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k8#2vQ!x9-Lm4@pR7sT1uW3yZ5aB6cD8eF0gH2jK4nP6qR8tV0xY2zA4bC6dE8fG",
        "ALLOWED_HOSTS": "fieldgate.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    from tests.conftest import SECURITY_SUMMARY

    SECURITY_SUMMARY["deploy_warnings"] = 0


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
def test_security_headers_and_private_caching_on_every_page(world):
    clients = {}
    for case in [c for c in MATRIX if c.method == "GET"]:
        url = reverse(case.url_name, kwargs={"umbrella_slug": world.a.umbrella.slug, **case.kwargs(world.a)})
        url += "?" + case.query if case.query else ""
        role = viewer(case)
        client = clients.setdefault(role, client_for(world, role))
        response = client.get(url)
        assert response.status_code == 200, url
        for header, value in SECURITY_HEADERS.items():
            assert value in response.get(header, ""), f"{header} missing on {url}"
        cache = response.get("Cache-Control", "")
        assert "private" in cache and "no-store" in cache, url
        SECURITY_SUMMARY["security_headers_pages"] += 1


@pytest.mark.django_db
def test_sign_in_page_has_the_headers_too(client):
    response = client.get(reverse("account_login"))
    for header, value in SECURITY_HEADERS.items():
        assert value in response.get(header, "")


@pytest.mark.django_db
def test_healthz_reports_the_database_and_redis_each(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(world, client_as):
    client = client_as("admin")  # an umbrella admin is not a superuser
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
