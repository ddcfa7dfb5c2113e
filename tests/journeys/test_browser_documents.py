"""Documents in a real browser (issue 15): staff upload a scheme's signed lease and its s106 as a
new user would, a hostile file is refused with a reason and nothing else changes, and the lease
page links the signed version, which downloads under a name we made."""

import pytest
from django.core.management import call_command

from core.pdf import render_pdf
from documents.models import Document
from tests.journeys.test_browser import browser, check_axe, page  # noqa: F401 (the browser fixtures)
from tests.journeys.test_browser_lifecycle import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, *, type, title, path, signed_on="", share=False):
    page.get_by_role("link", name="Upload a document").click()
    page.get_by_label("What it is").select_option(label=type)
    page.get_by_label("Title").fill(title)
    page.get_by_label("File", exact=False).first.set_input_files(path)
    if signed_on:
        page.get_by_label("Signed", exact=True).check()
        page.get_by_label("Signed on").fill(signed_on)
    if share:
        page.get_by_label("Share with the housing association's team").check()
    page.get_by_role("button", name="Upload").click()


def test_staff_upload_a_signed_lease_and_an_s106_and_the_lease_page_links_the_signed_lease(page, live_server, tmp_path):  # noqa: F811
    call_command("load_demo", verbosity=0)
    lease_pdf = tmp_path / "Church Meadow lease SIGNED scan.pdf"
    lease_pdf.write_bytes(render_pdf("<h1>Lease of Church Meadow</h1><p>Term: 125 years.</p>"))
    s106_pdf = tmp_path / "s106.pdf"
    s106_pdf.write_bytes(render_pdf("<h1>Section 106 agreement</h1>"))
    hostile = tmp_path / "lease.pdf"
    hostile.write_text("<html><script>alert('hi')</script></html>")
    seen: list[str] = []
    base = live_server.url + "/u/wessex"

    sign_in_as(page, live_server, "wessex-staff@fieldgate.test", "fieldgate-demo")
    page.goto(base + "/schemes/?search=Church+Meadow")
    page.get_by_role("link", name="Church Meadow, Thornbury St Clement").click()
    scheme_url = page.url
    assert page.get_by_text("No signed lease uploaded yet.").first.is_visible()

    # A page of HTML named .pdf is refused, with the reason, and nothing is kept.
    upload(page, type="Lease", title="Lease of Church Meadow", path=hostile, signed_on="2022-02-14")
    assert page.get_by_text("This file cannot be kept").first.is_visible()
    check_axe(page, seen)
    assert not Document.objects.filter(title="Lease of Church Meadow").exists()

    page.goto(scheme_url)
    upload(page, type="Lease", title="Lease of Church Meadow", path=lease_pdf, signed_on="2022-02-14", share=True)
    assert page.get_by_text("Uploaded “Lease of Church Meadow”.").first.is_visible()
    assert page.get_by_role("cell", name="Signed").first.is_visible()
    check_axe(page, seen)

    page.goto(scheme_url)
    upload(
        page, type="Section 106 agreement", title="Section 106, Church Meadow", path=s106_pdf, signed_on="2021-09-30"
    )
    assert page.get_by_text("Uploaded “Section 106, Church Meadow”.").first.is_visible()

    page.goto(scheme_url)
    assert page.get_by_role("link", name="Section 106, Church Meadow").is_visible()
    page.get_by_role("link", name="Lease terms and buy-back estimate").click()
    link = page.get_by_role("link", name="Lease of Church Meadow, version 1, signed 14 February 2022", exact=False)
    assert link.is_visible()
    check_axe(page, seen)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "lease-of-church-meadow-v1.pdf"
    assert download.value.path().read_bytes() == lease_pdf.read_bytes()
    assert seen
