"""Issue 17: every form shows its errors in plain words, naming the field, never Django's stock
wording ("This field is required.", "Ensure this value…", "Select a valid choice…", "Enter a valid
…") nor a constraint's or a type's name.

Every POST case of the permission matrix that the admin may submit is posted three times, each
rejected: with nothing, with every field 400 characters of text, and with every field a huge
negative number. Every page that answers must say what is wrong in our own words."""

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.plain import PlainErrors, form_field_messages
from tests.conftest import client_for
from tests.permissions.matrix import MATRIX

OWN = ("accounts", "clts", "documents", "partnerships", "schemes", "home")

#: Django's stock English messages, and the giveaways of a database or type name.
STOCK = [
    "This field is required",
    "This field cannot be",
    "Ensure this value",
    "Ensure that there are",
    "Ensure this filename",
    "Select a valid choice",
    "Enter a valid",
    "Enter a number.",
    "Enter a whole number.",
    "Enter a list of values",
    "is not a valid UUID",
    "is not a valid value",
    "is not a valid choice",
    "Null characters are not allowed",
    "No file was submitted",
    "The submitted file is empty",
    "Constraint “",
    "violates",
    "IntegrityError",
    "DataError",
]
STOCK_RE = re.compile("|".join(re.escape(s) for s in STOCK))

FORM_CASES = [case for case in MATRIX if case.method == "POST" and case.expect.get("admin") == 302]


def _import_all():
    for package in OWN:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_form_of_ours_speaks_plainly():
    _import_all()
    ours = {c for c in _all_subclasses(forms.BaseForm) if c.__module__.split(".")[0] in OWN}
    assert len(ours) > 60
    stock = sorted(f"{c.__module__}.{c.__name__}" for c in ours if not issubclass(c, PlainErrors))
    assert not stock, f"forms that are not PlainForm/PlainModelForm/PlainErrors: {stock}"


def test_messages_are_plain():
    hours = forms.DecimalField(label="Hours", max_digits=6, decimal_places=2, min_value=0)
    messages = form_field_messages(hours, "hours")
    assert messages["required"] == messages["invalid"] == "Give a number, like 12.50."
    assert messages["max_decimal_places"] == "Give at most %(max)s figures after the decimal point."
    assert form_field_messages(forms.ChoiceField(label="CLT"), "clt")["required"] == "Choose one from the list."
    assert form_field_messages(forms.DateField(label="Date registered"), "on")["invalid"] == (
        "Give a real date, like 2026-12-03."
    )
    assert form_field_messages(forms.CharField(label="Your name"), "name")["required"] == "Enter your name."
    assert form_field_messages(forms.CharField(label="Title"), "title")["required"] == "Enter the title."
    assert form_field_messages(forms.CharField(label="CLT name"), "n")["required"] == "Enter the CLT name."


class _Sample(PlainErrors, forms.Form):
    hours = forms.DecimalField(label="Hours", max_digits=4, decimal_places=2, max_value=24)
    note = forms.CharField(max_length=5, error_messages={"max_length": "Keep the note short."})
    size = forms.IntegerField(label="Household")
    title = forms.CharField(max_length=10)


def test_a_form_shows_every_error_at_once_in_plain_words_and_keeps_its_own():
    form = _Sample({"hours": "99.999", "note": "far too long", "size": "two", "title": "x" * 12})
    assert form.errors == {
        "hours": ["Give 24 or less.", "That number is too long: at most 4 digits."],
        "note": ["Keep the note short."],
        "size": ["Give a whole number, like 12."],
        "title": ["Keep it to 10 characters at most (this is 12)."],
    }
    form = _Sample({"hours": "30"})
    assert form.errors["hours"] == ["Give 24 or less."]
    assert form.errors["note"] == ["Enter the note."] and form.errors["size"] == ["Give a whole number, like 12."]


def _variants(case, tenant) -> list[tuple[str, dict]]:
    base = case.data(tenant)
    return [
        ("nothing", {}),
        ("400 characters", {k: "x" * 400 for k in base}),
        ("a huge negative number", {k: "-99999999999999999999" for k in base}),
    ]


@pytest.mark.django_db
def test_no_rejected_form_shows_a_stock_message(world):
    client = client_for(world, "admin", raise_request_exception=False)
    found, pages = [], 0
    for case in FORM_CASES:
        url = reverse(case.url_name, kwargs={"umbrella_slug": world.a.umbrella.slug, **case.kwargs(world.a)})
        for name, data in _variants(case, world.a):
            with transaction.atomic():
                response = client.post(url, data)
                transaction.set_rollback(True)
            if response.status_code == 302:
                continue
            pages += 1
            body = response.content.decode()
            for hit in set(STOCK_RE.findall(body)):
                found.append(f"{case.id} ({name}): “{hit}”")
    print(f"\nplain messages: {len(FORM_CASES)} forms, {pages} rejected pages read, {len(found)} stock messages")
    assert pages > len(FORM_CASES)
    assert not found, "\n".join(sorted(found))


@pytest.mark.django_db
def test_the_sign_in_and_password_forms_speak_plainly():
    client = Client()
    for name in ("account_login", "account_reset_password"):
        body = client.post(reverse(name), {}).content.decode()
        assert not STOCK_RE.search(body), (name, STOCK_RE.findall(body))
        assert "Enter an email address" in body
    page = client.get(reverse("account_login")).content.decode()
    assert page.count("Forgotten your password?") == 1 and "Forgot your password?" not in page


def test_every_constraint_a_save_could_break_says_why_in_words():
    """A check, or a unique rule with a condition, that a full_clean could report: never
    "Constraint “…” is violated." (a plain unique rule on fields says "… with this … already exists")."""
    from django.apps import apps
    from django.db import models

    unnamed = []
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in OWN:
            continue
        for constraint in model._meta.constraints:
            plain_unique = (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.fields
                and not (constraint.condition or constraint.expressions)
            )
            if not plain_unique and constraint.violation_error_message == constraint.default_violation_error_message:
                unnamed.append(f"{model.__name__}.{constraint.name}")
            try:  # Django formats the message with the constraint's name: a bare % would raise
                constraint.get_violation_error_message()
            except (ValueError, TypeError) as error:
                unnamed.append(f"{model.__name__}.{constraint.name}: {error}")
    assert not unnamed, unnamed
