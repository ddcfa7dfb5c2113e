"""Findings of the outside-in test (issue 18) that each have a test here: 18.7, a milestone import
that told whether an address belonged to someone in another umbrella; 18.8, an umbrella name with
a line break, which made every email using it fail."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import services
from accounts.access import access_for
from accounts.models import Umbrella
from schemes.models import Milestone
from tests.conftest import client_for


def _import(world, owner_email):
    scheme = world.a.objects["scheme"]
    url = reverse("milestone_import", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": scheme.public_id})
    text = f"title,due,kind,owner email\nSurvey,2027-01-01,task,{owner_email}\n"
    return client_for(world, "staff").post(url, {"file": SimpleUploadedFile("m.csv", text.encode(), "text/csv")})


def test_the_milestone_import_says_the_same_of_another_umbrellas_person_and_of_nobody(world):
    before = Milestone.objects.count()
    elsewhere = _import(world, world.b.users["staff"].email)
    nobody = _import(world, "nobody@nowhere.test")
    assert elsewhere.status_code == nobody.status_code == 400
    said = [
        re.findall(r'class="field-error"[^>]*>([^<]*)<', r.content.decode().replace(email, "EMAIL"))
        for r, email in ((elsewhere, world.b.users["staff"].email), (nobody, "nobody@nowhere.test"))
    ]
    assert said[0] == said[1] == ["Line 2, column “owner email”: nobody with EMAIL is in this umbrella."]
    assert Milestone.objects.count() == before


@pytest.mark.parametrize("name", ["Wessex\r\nBcc: everyone@example.test", "Wessex\nProject", "Tab\tbed"])
def test_an_umbrella_name_is_one_line(world, name):
    url = reverse("umbrella_settings", kwargs={"umbrella_slug": world.a.umbrella.slug})
    response = client_for(world, "admin").post(
        url, {"name": name, "require_mfa_for_staff": "", "applicant_retention_months": 24}
    )
    assert response.status_code == 400
    assert "Write it on one line, without line breaks or tabs." in response.content.decode()
    assert Umbrella.objects.get(pk=world.a.umbrella.pk).name == world.a.umbrella.name


@pytest.mark.django_db
def test_the_bootstrap_command_refuses_a_name_on_two_lines(monkeypatch):
    monkeypatch.setenv("FIELDGATE_ADMIN_PASSWORD", "a long and unusual passphrase 42")
    with pytest.raises(CommandError, match="one line"):
        call_command(
            "create_umbrella_admin", "--umbrella", "North\r\nBcc: x@example.test", "--slug", "north",
            "--email", "admin@north.example", "--no-input",
        )  # fmt: skip
    assert not Umbrella.objects.filter(slug="north").exists()


def test_with_a_one_line_name_the_emails_go(world, django_capture_on_commit_callbacks):
    access = access_for(user=world.a.users["admin"], umbrella_slug=world.a.umbrella.slug)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(access=access, email="newcomer@example.test", role="staff")
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject


def test_a_csv_import_over_the_upload_cap_is_not_kept_and_says_too_large(world, settings):
    """Issue 18.3, in part: no uploaded file is kept beyond FILE_UPLOAD_MAX_BYTES (not even in a
    temporary file), and the import says it is too large rather than empty."""
    settings.FILE_UPLOAD_MAX_BYTES = 1024
    before = Milestone.objects.count()
    response = _import(world, "x" * 4000 + "@example.test")
    assert response.status_code == 400
    assert "it may be at most 0.0 MB" in response.content.decode()
    assert Milestone.objects.count() == before
