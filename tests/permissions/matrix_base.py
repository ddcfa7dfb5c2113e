"""The vocabulary of the permission matrix: roles, Case and helpers (no imports from tests)."""

from collections.abc import Callable
from dataclasses import dataclass

IN_TENANT = ["admin", "staff", "volunteer", "other_clt_volunteer", "ha_team", "other_ha_team"]
OUTSIDERS = ["other_umbrella_admin", "other_umbrella_staff"]
ROLES = IN_TENANT + OUTSIDERS + ["anonymous"]

# Outsiders see nothing of another umbrella, exactly as if it did not exist.
OUTSIDE = {"other_umbrella_admin": 404, "other_umbrella_staff": 404, "anonymous": 302}


def NO_OBJECT(t) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    expect: dict[str, int]
    kwargs: Callable = NO_OBJECT
    data: Callable = lambda t: {}
    query: str = ""

    @property
    def has_object(self) -> bool:
        return self.kwargs is not NO_OBJECT

    @property
    def id(self) -> str:
        return f"{self.url_name}:{self.method}{'?' + self.query if self.query else ''}"


def roles(default: int, **overrides: int) -> dict[str, int]:
    expect = {role: default for role in IN_TENANT}
    expect.update(OUTSIDE)
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    expect.update(overrides)
    return expect


def obj(name: str) -> Callable:
    return lambda t: {"public_id": t.objects[name].public_id}


def viewer(case) -> str:
    """Who opens a GET case to read it: the admin, unless the page is someone's own (a CSV
    export is its asker's alone), when the role the matrix lets in."""
    if case.expect["admin"] == 200:
        return "admin"
    return next(role for role in IN_TENANT if case.expect[role] == 200)
