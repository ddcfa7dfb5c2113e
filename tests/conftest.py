"""Shared fixtures: the mirrored world, a signed-in client per role, the security summary."""

import copy

import pytest
from django.test import Client

from .world import World, build_world

SECURITY_SUMMARY = {"matrix_cases": 0, "matrix_leaks": 0, "canary_pages": 0, "canary_found": 0}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the two mirrored tenants once; every test's transaction rolls its own changes back."""
    with django_db_blocker.unblock():
        world = build_world()
    return world


@pytest.fixture
def world(django_db_setup, db) -> World:
    """A fresh copy per test: each test's writes roll back in the database, and changes made to
    these Python objects must not leak into the next test either."""
    return copy.deepcopy(django_db_setup)


def user_for(world: World, role: str):
    """The user playing `role` as seen from tenant A (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "other_umbrella_admin":
        return world.b.users["admin"]
    if role == "other_umbrella_staff":
        return world.b.users["staff"]
    return world.a.users[role]


def client_for(world: World, role: str, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_as(world):
    return lambda role, **kw: client_for(world, role, **kw)


def pytest_terminal_summary(terminalreporter):
    s = SECURITY_SUMMARY
    if not s["matrix_cases"] and not s["canary_pages"]:
        return
    terminalreporter.section("security figures")
    terminalreporter.write_line(
        f"permission matrix: {s['matrix_cases']} (url, method, role) cases run, {s['matrix_leaks']} leaked"
    )
    terminalreporter.write_line(
        f"canary: {s['canary_pages']} pages, exports and emails searched, {s['canary_found']} foreign strings found"
    )
