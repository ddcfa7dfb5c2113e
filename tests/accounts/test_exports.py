"""CSV exports too long to stream while the person waits (issues 14 and 18): written by a task
(core.documents) into private storage, followed and fetched from a page that is the asker's alone."""

from pathlib import Path

import pytest
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Export, ExportStatus
from accounts.tasks import render_export
from tests.conftest import client_for


def _list(world, name="scheme_list", **query):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug}), {"format": "csv", **query}


def _download(client, export) -> str:
    url = reverse("export_download", kwargs={"umbrella_slug": export.umbrella.slug, "public_id": export.public_id})
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_short_export_streams_at_once(world, settings):
    settings.CSV_INLINE_ROWS = 100
    url, query = _list(world)
    response = client_for(world, "staff").get(url, query)
    assert response.status_code == 200 and response.streaming
    assert not Export.objects.filter(umbrella=world.a.umbrella).exclude(pk=world.a.objects["export"].pk).exists()


def test_a_long_export_is_written_by_a_task_and_fetched_by_its_asker_alone(world, settings):
    settings.CSV_INLINE_ROWS = 1  # the world's umbrella has two schemes
    url, query = _list(world, sort="name")
    staff = client_for(world, "staff")
    response = staff.get(url, query)
    export = Export.objects.filter(umbrella=world.a.umbrella, requested_by=world.a.users["staff"]).latest("created_at")
    page = reverse("export_detail", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": export.public_id})
    assert response.status_code == 302 and response["Location"] == page
    assert export.query == "sort=name"  # the list's own filters and sort, without format=csv
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.rows == 2  # (the task ran eagerly)
    shown = staff.get(page).content.decode()
    assert "Download the CSV" in shown and "2 rows" in shown
    text = _download(staff, export)
    assert text.splitlines()[0].startswith("Name,")
    assert world.a.objects["scheme"].name in text and world.a.objects["other_scheme"].name in text
    # Another member of the same umbrella, even its admin, is answered as if it did not exist.
    for role in ("admin", "volunteer", "ha_team", "other_umbrella_staff"):
        assert client_for(world, role).get(page).status_code == 404


def test_a_volunteers_long_export_holds_only_what_their_access_sees(world, settings):
    settings.CSV_INLINE_ROWS = 0
    url, query = _list(world)
    volunteer = client_for(world, "volunteer")
    assert volunteer.get(url, query).status_code == 302
    export = Export.objects.filter(requested_by=world.a.users["volunteer"]).latest("created_at")
    text = _download(volunteer, export)
    assert world.a.objects["scheme"].name in text and world.a.objects["other_scheme"].name not in text


def test_the_export_task_refuses_when_the_asker_lost_access(world):
    staff = world.a.users["staff"]
    export = Export.objects.create(
        umbrella=world.a.umbrella, requested_by=staff, url_name="scheme_list", filename="s.csv"
    )
    staff.memberships.update(revoked_at=timezone.now())
    assert render_export.apply(args=[export.pk, staff.pk]).get() == "refused"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.file_path
    # Nor may anyone ask in another person's name.
    other = Export.objects.create(
        umbrella=world.a.umbrella, requested_by=world.a.users["admin"], url_name="scheme_list", filename="s.csv"
    )
    assert render_export.apply(args=[other.pk, world.a.users["volunteer"].pk]).get() == "refused"


@pytest.mark.parametrize("name", ["cost_entry_list", "milestone_list", "clt_list"])
def test_other_long_lists_export_through_the_task_too(world, settings, name):
    settings.CSV_INLINE_ROWS = 0
    url, query = _list(world, name)
    staff = client_for(world, "staff")
    assert staff.get(url, query).status_code == 302
    export = Export.objects.filter(requested_by=world.a.users["staff"], url_name=name).latest("created_at")
    assert export.status == ExportStatus.READY, export.failure_reason
    assert _download(staff, export).splitlines()


def test_anonymous_is_sent_to_sign_in(world):
    export = world.a.objects["export"]
    page = reverse("export_detail", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": export.public_id})
    assert Client().get(page).status_code == 302


# --- a list's CSV kept as a file until the umbrella's data changes (core.csvexport.kept_csv) -----


def _kept_folder(world) -> Path:
    from django.conf import settings

    from core.csvexport import KEPT_FOLDER

    return Path(settings.PRIVATE_FILES_ROOT) / str(world.a.umbrella.pk) / KEPT_FOLDER


def _kept_files(world) -> list[Path]:
    folder = _kept_folder(world)
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_scheme_csv_is_kept_until_the_data_changes_and_then_drawn_again(world):
    url, query = _list(world)
    staff = client_for(world, "staff")
    first = staff.get(url, query)
    assert first.status_code == 200 and not isinstance(first, FileResponse)
    text = _body(first)
    assert [f.suffix for f in _kept_files(world)] == [".csv"]  # one file, no partial left behind

    again = staff.get(url, query)
    assert isinstance(again, FileResponse) and _body(again) == text
    assert again["Content-Disposition"] == 'attachment; filename="schemes.csv"'
    assert again["Content-Type"] == "text/csv; charset=utf-8"

    scheme = world.a.objects["scheme"]
    scheme.name = "Renamed Meadow"
    scheme.save()
    changed = staff.get(url, query)
    assert not isinstance(changed, FileResponse)
    assert "Renamed Meadow" in _body(changed)
    kept = _kept_files(world)  # the older version's file is gone
    assert len(kept) == 1 and "Renamed Meadow" in (_kept_folder(world) / kept[0]).read_text()


def test_a_kept_csv_is_kept_for_its_scope_and_query_alone(world):
    url, query = _list(world)
    staff_text = _body(client_for(world, "staff").get(url, query))
    assert world.a.objects["other_scheme"].name in staff_text
    # The volunteer's and the HA team's exports are their own, after staff's was kept.
    volunteer_text = _body(client_for(world, "volunteer").get(url, query))
    assert world.a.objects["scheme"].name in volunteer_text
    assert world.a.objects["other_scheme"].name not in volunteer_text
    ha_text = _body(client_for(world, "ha_team").get(url, query))
    assert world.a.objects["scheme"].name in ha_text and world.a.objects["other_scheme"].name not in ha_text
    other_ha_text = _body(client_for(world, "other_ha_team").get(url, query))
    assert world.a.objects["other_scheme"].name in other_ha_text and world.a.objects["scheme"].name not in other_ha_text
    # A filter is part of the key: nothing matches this one.
    filtered = _body(client_for(world, "staff").get(url, {**query, "search": "no scheme is called this"}))
    assert filtered.splitlines() == staff_text.splitlines()[:1]
    # Admin and staff share a data scope, so the admin is given the file staff's export kept.
    assert isinstance(client_for(world, "admin").get(url, query), FileResponse)
    assert len(_kept_files(world)) == 5


def test_an_export_that_stops_half_way_keeps_nothing(world):
    from core.csvexport import kept_csv

    def pieces():
        yield "Name\n"
        yield "Scheme one\n"

    kept = kept_csv(umbrella_id=world.a.umbrella.pk, parts=["half way"], pieces=pieces)
    assert kept.file is None and next(kept.pieces) == b"Name\n"
    kept.pieces.close()  # the client went away after the header
    assert _kept_files(world) == []
    again = kept_csv(umbrella_id=world.a.umbrella.pk, parts=["half way"], pieces=pieces)
    assert again.file is None and b"".join(again.pieces) == b"Name\nScheme one\n"
    assert len(_kept_files(world)) == 1


def test_a_filter_that_cannot_be_read_is_said_and_the_others_still_apply(world):
    """?stage=nowhere with a search: the page says the stage is not one of the choices and still
    searches (it used to drop every filter and list everything); the CSV is refused, not widened."""
    staff = client_for(world, "staff")
    url = reverse("scheme_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    one, two = world.a.objects["scheme"].name, "Scheme two"
    page = staff.get(url, {"search": one, "stage": "nowhere"})
    body = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert "That is not one of the choices: choose from the list. The list is shown without this filter." in body
    assert 'aria-invalid="true"' in body
    assert one in body and two not in body
    refused = staff.get(url, {"search": one, "stage": "nowhere", "format": "csv"})
    assert refused.status_code == 400 and not refused.streaming
    assert "That is not one of the choices" in refused.content.decode()
    assert Export.objects.filter(umbrella=world.a.umbrella).count() == 1  # the world's own, no new one


def test_an_export_whose_filter_no_longer_applies_fails_rather_than_widen(world):
    """Asked with a filter that read then (a scheme, say) and no longer does when the task runs
    (the scheme deleted, or gone from the person's sight): no file of the whole list."""
    staff = world.a.users["staff"]
    export = Export.objects.create(umbrella=world.a.umbrella, requested_by=staff, url_name="scheme_list",
                                   query="stage=nowhere", filename="s.csv")  # fmt: skip
    assert render_export.apply(args=[export.pk, staff.pk]).get() == "refused"
    export.refresh_from_db()
    assert (export.status, export.attempts, export.file_path) == (ExportStatus.FAILED, 1, "")
    assert "A filter of the list no longer applies (Stage): ask for it again." in export.failure_reason
