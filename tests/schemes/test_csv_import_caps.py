"""Issue 18.3: CSV imports read a line at a time, header first, list at most the first problems,
refuse a file of too many rows, and a large import runs as a task whose page shows how far it has
got. Real parts: the real views, services and database, and once a real Celery worker on Redis.

Before: a 100 MiB file was read whole (3.3 GB peak) before its header was refused, and 1M bad rows
gave a 231 MiB error page."""

import io
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.access import access_for
from accounts.models import ImportJob, ImportStatus
from core.csvimport import read_csv
from core.pdf import private_path
from schemes.costs import services as cost_services
from schemes.models import CostEntry, Milestone
from tests.conftest import SECURITY_SUMMARY, client_for


def url(world, name, **kwargs):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


def timesheet(world, rows: int, *, bad: bool = False) -> bytes:
    t = world.a
    email, role, scheme = t.users["staff"].email, t.objects["staff_role"].name, t.objects["scheme"].name
    lines = ["date,person email,role,hours,activity,scheme"]
    hours = "99" if bad else "1.5"
    lines += [f"2026-06-{1 + i % 28:02d},{email},{role},{hours},Call {i},{scheme}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def post(world, name, content: bytes, **kwargs):
    return client_for(world, "staff").post(
        url(world, name, **kwargs), {"file": SimpleUploadedFile("t.csv", content, "text/csv")}
    )


def test_a_wrong_header_is_refused_before_the_rows_are_read(world, settings):
    """A 9 MiB file whose header is wrong: refused having read its first lines only. The peak
    memory of the service is a small fraction of the file (it was 33 times the file before)."""
    settings.CSV_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    content = b"when,who,what\n" + b"2026-06-01,someone@example.test,nothing much at all here\n" * 170_000
    assert len(content) > 9 * 1024 * 1024
    access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    source = io.BytesIO(content)
    tracemalloc.start()
    try:
        with pytest.raises(Exception) as refused:
            cost_services.timesheet_import(access=access, source=source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "missing: date, person email, role, hours" in str(refused.value)
    assert peak < 512 * 1024, f"peak {peak:,} bytes for a {len(content):,}-byte file"
    assert source.tell() < 64 * 1024  # only the first block of the file was read
    SECURITY_SUMMARY["import_header"] = (
        f"a {len(content) / 2**20:.1f} MiB file with a wrong header refused having read "
        f"{source.tell() / 1024:.0f} KiB, peak {peak / 1024:.0f} KiB"
    )


def test_the_rows_are_streamed_not_read_whole(world, settings):
    """A valid 40,000-row file is checked a line at a time: the reading itself holds little."""
    settings.CSV_IMPORT_PROGRESS_EVERY = 10_000
    content = timesheet(world, 40_000)
    seen = []
    rows = read_csv(
        io.BytesIO(content),
        columns=cost_services.TIMESHEET_COLUMNS,
        required=cost_services.TIMESHEET_REQUIRED,
        progress=lambda fraction, count: seen.append((round(fraction, 1), count)),
    )
    tracemalloc.start()
    try:
        count = sum(1 for _ in rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 40_000 and rows.problems.count == 0
    assert peak < 256 * 1024, f"peak {peak:,} bytes reading {len(content):,} bytes"
    # How far through the file, every 10,000 rows: a quarter, a half, three quarters, all of it.
    assert [c for _, c in seen] == [10_000, 20_000, 30_000, 40_000]
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and 0.2 <= seen[0][0] <= 0.3


def test_many_bad_rows_list_the_first_fifty_and_count_the_rest(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10 * 1024 * 1024  # on the page, not as a task
    before = CostEntry.objects.count()
    response = post(world, "timesheet_import", timesheet(world, 20_000, bad=True))
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("column “hours”") == 2 * 50  # in the summary at the top, and by the field
    assert "Line 2, column “hours”: “99” is not a number of hours" in body
    assert "… and 19,950 more problems not listed here" in body
    assert len(body) < 60_000  # the page of 1M bad rows was 231 MiB
    SECURITY_SUMMARY["import_errors"] = f"20,000 bad rows gave a {len(body) / 1024:.0f} KiB page listing 50"
    assert CostEntry.objects.count() == before


def test_a_file_of_too_many_rows_is_refused(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10 * 1024 * 1024
    settings.CSV_IMPORT_MAX_ROWS = 1_000
    before = CostEntry.objects.count()
    response = post(world, "timesheet_import", timesheet(world, 1_001))
    assert response.status_code == 400
    assert "The file has more than 1,000 rows; split it into files of at most 1,000 rows." in response.content.decode()
    assert CostEntry.objects.count() == before


def test_a_file_over_the_import_cap_says_too_large(world, settings):
    settings.CSV_IMPORT_MAX_BYTES = 50_000
    response = post(world, "timesheet_import", timesheet(world, 1_000))
    assert response.status_code == 400
    assert "; it may be at most 49 KB." in response.content.decode()


def test_a_large_valid_import_runs_as_a_task_and_its_page_says_what_it_did(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10_000
    before = CostEntry.objects.count()
    content = timesheet(world, 300)
    assert len(content) > settings.CSV_IMPORT_INLINE_BYTES
    response = post(world, "timesheet_import", content)

    job = ImportJob.objects.get(requested_by=world.a.users["staff"], filename="t.csv")
    assert response.status_code == 302 and response["Location"] == url(world, "import_detail", public_id=job.public_id)
    assert (job.status, job.imported, job.percent, job.problems) == (ImportStatus.READY, 300, 100, [])
    assert CostEntry.objects.count() == before + 300
    assert not private_path(job.file_path).exists()  # the kept upload goes once it is imported
    page = client_for(world, "staff").get(response["Location"]).content.decode()
    assert "Imported 300 time entries." in page and "See what was imported" in page
    # Only the person who uploaded it sees it.
    assert client_for(world, "admin").get(response["Location"]).status_code == 404


def test_a_large_import_with_problems_imports_nothing_and_lists_them_on_its_page(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10_000
    before = CostEntry.objects.count()
    response = post(world, "timesheet_import", timesheet(world, 300, bad=True))
    job = ImportJob.objects.get(requested_by=world.a.users["staff"], filename="t.csv")
    assert job.refused and len(job.problems) == 51  # fifty, and the count of the rest
    assert CostEntry.objects.count() == before
    page = client_for(world, "staff").get(response["Location"]).content.decode()
    assert "Nothing was imported" in page and "… and 250 more problems" in page
    # The way on is the upload form again, not only back to the list.
    assert f'href="{url(world, "timesheet_import")}">Upload a corrected file' in page


def test_the_kept_upload_goes_however_the_import_ends(world, settings):
    """Refused for its rows, or failed because its scheme went before the task ran: the file, with
    people's emails and hours in it, is not kept."""
    from accounts.tasks import import_csv
    from core.pdf import write_private_file
    from schemes.models import Scheme

    settings.CSV_IMPORT_INLINE_BYTES = 1_000
    assert post(world, "timesheet_import", timesheet(world, 40, bad=True)).status_code == 302
    refused = ImportJob.objects.get(requested_by=world.a.users["staff"], kind="timesheet", filename="t.csv")
    assert refused.refused and not private_path(refused.file_path).exists()

    from tests.factories import SchemeFactory

    scheme = SchemeFactory(clt=world.a.objects["clt"], name="Soon gone")
    job = ImportJob.objects.create(
        umbrella=world.a.umbrella, requested_by=world.a.users["staff"], kind="milestones",
        target_id=scheme.public_id, filename="m.csv",
        file_path=write_private_file(f"{world.a.umbrella.pk}/imports/gone.csv", b"title,due\nSurvey,2027-01-01\n"),
    )  # fmt: skip
    Scheme.objects.filter(pk=scheme.pk).delete()
    import_csv.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "no longer yours to change" in job.failure_reason
    assert not private_path(job.file_path).exists()


def test_a_large_import_with_a_wrong_header_is_refused_on_the_form_at_once(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10_000
    response = post(world, "timesheet_import", b"when,who\n" + b"x,y\n" * 5_000)
    assert response.status_code == 400 and "missing: date, person email, role, hours" in response.content.decode()
    assert not ImportJob.objects.filter(requested_by=world.a.users["staff"], filename="t.csv").exists()


def test_a_large_milestone_import_runs_as_a_task_for_its_scheme(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 1_000
    scheme = world.a.objects["scheme"]
    before = Milestone.objects.filter(scheme=scheme).count()
    content = ("title,due,kind\n" + "".join(f"Step {i},2027-01-{1 + i % 28:02d},task\n" for i in range(80))).encode()
    response = post(world, "milestone_import", content, public_id=scheme.public_id)
    job = ImportJob.objects.get(kind="milestones", requested_by=world.a.users["staff"])
    assert (job.status, job.imported, job.target_id) == (ImportStatus.READY, 80, scheme.public_id)
    assert Milestone.objects.filter(scheme=scheme).count() == before + 80
    page = client_for(world, "staff").get(response["Location"]).content.decode()
    assert "Imported 80 milestones and tasks." in page
    assert (
        reverse("scheme_detail", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": scheme.public_id}) in page
    )


def test_the_queue_away_says_so_on_the_form_and_keeps_nothing(world, settings):
    settings.CSV_IMPORT_INLINE_BYTES = 10_000
    from tests.services import queue_unreachable

    before = CostEntry.objects.count()
    with queue_unreachable():
        response = post(world, "timesheet_import", timesheet(world, 300))
    assert response.status_code == 400
    assert "The task queue is not answering, so nothing was imported." in response.content.decode()
    job = ImportJob.objects.get(requested_by=world.a.users["staff"], filename="t.csv")
    assert job.status == ImportStatus.FAILED and not private_path(job.file_path).exists()
    assert CostEntry.objects.count() == before


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_large_timesheet(real_worker, settings):
    from django.test import Client

    from tests.partnerships.test_statements import build

    access, _ha, _team, scheme = build()
    settings.CSV_IMPORT_INLINE_BYTES = 10_000
    settings.CSV_IMPORT_PROGRESS_EVERY = 100
    before = CostEntry.objects.count()
    lines = ["date,person email,role,hours,activity,scheme"] + [
        f"{date(2025, 1, 1) + timedelta(days=i // 10)},{access.user.email},Project manager,1.5,Call {i},{scheme.name}"
        for i in range(2_000)
    ]  # ten calls a day, 15 hours: a day's work is at most 24 hours
    client = Client()
    client.force_login(access.user)
    response = client.post(
        reverse("timesheet_import", kwargs={"umbrella_slug": access.umbrella.slug}),
        {"file": SimpleUploadedFile("t.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(requested_by=access.user)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ImportJob.objects.get(pk=job.pk).in_progress:
        time.sleep(0.1)
    job.refresh_from_db()
    assert (job.status, job.imported, job.attempts) == (ImportStatus.READY, 2_000, 1), job.failure_reason
    assert job.rows_checked == 2_000 and job.percent == 100
    assert CostEntry.objects.count() == before + 2_000
    assert "Imported 2,000 time entries." in client.get(response["Location"]).content.decode()
