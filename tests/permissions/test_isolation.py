"""Two mirrored tenants: nothing of one appears in the other's pages, exports or emails, and
the other's ids answer 404 under this umbrella's URLs."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.access import access_for
from tests.conftest import SECURITY_SUMMARY, client_for
from tests.permissions.matrix import IN_TENANT, MATRIX
from tests.permissions.matrix_base import viewer
from tests.worlds.world import CANARY

GET_CASES = [case for case in MATRIX if case.method == "GET"]


def _url(case, tenant, objects_from=None):
    source = objects_from or tenant
    url = reverse(case.url_name, kwargs={"umbrella_slug": tenant.umbrella.slug, **case.kwargs(source)})
    return url + ("?" + case.query if case.query else "")


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode()


@pytest.mark.parametrize("role", IN_TENANT)
@pytest.mark.parametrize("case", GET_CASES, ids=lambda c: c.id)
def test_no_foreign_canary_in_pages_and_exports(world, case, role):
    """Every page and export tenant A's people can open carries nothing of tenant B."""
    client = client_for(world, role)
    response = client.get(_url(case, world.a))
    if response.status_code != 200:
        return
    body = _body(response)
    SECURITY_SUMMARY["canary_pages"] += 1
    found = CANARY["b"] in body
    SECURITY_SUMMARY["canary_found"] += int(found)
    assert not found, f"{role} saw tenant B's data at {case.id}"


@pytest.mark.parametrize("case", [c for c in MATRIX if c.has_object], ids=lambda c: c.id)
def test_foreign_ids_answer_404(world, case):
    """Tenant B's object ids under tenant A's slug, as A's admin: 404, as if they did not exist."""
    url = _url(case, world.a, objects_from=world.b)
    client = client_for(world, "admin")
    response = client.get(url) if case.method == "GET" else client.post(url, data=case.data(world.a))
    assert response.status_code == 404


def test_the_mirror_holds_the_other_way(world):
    """Tenant B's people see only B: A's canary nowhere in B's pages and exports (each page as B's
    admin, or as the one of B's people it is for, such as a CSV export's asker)."""
    from django.test import Client

    clients = {}
    for case in GET_CASES:
        role = viewer(case)
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(world.b.users[role])
        client = clients[role]
        url = _url(case, world.b)
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        SECURITY_SUMMARY["canary_pages"] += 1
        assert CANARY["a"] not in body, url
        SECURITY_SUMMARY["canary_found"] += int(CANARY["a"] in body)


def test_invitation_email_carries_nothing_foreign(world, django_capture_on_commit_callbacks):
    access = access_for(user=world.a.users["admin"], umbrella_slug=world.a.umbrella.slug)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(access=access, email="newcomer@example.test", role="staff")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body
    SECURITY_SUMMARY["canary_pages"] += 1
    assert CANARY["b"] not in text
    assert world.a.umbrella.name in text


# --- allocations: applicants' personal data, nomination lists and their email ------------------

from tests.permissions.matrix_allocations import MATRIX_ALLOCATIONS  # noqa: E402

ALLOCATION_GET_CASES = [case for case in MATRIX_ALLOCATIONS if case.method == "GET"]
# Pages that show no planted text of their own: the erase form names the applicant by reference only.
NO_OWN_TEXT = {"applicant_erase"}


@pytest.mark.parametrize("case", [c for c in ALLOCATION_GET_CASES if c.url_name not in NO_OWN_TEXT], ids=lambda c: c.id)
def test_allocation_pages_and_files_carry_their_own_canary(world, case):
    """The search above has something to find: tenant A's own planted strings (not just its umbrella's
    name in the layout) reach every allocation page, CSV, the nomination PDF and the subject access
    export, so a crossing from B into the same fields would be seen."""
    client = client_for(world, "admin")
    response = client.get(_url(case, world.a))
    assert response.status_code == 200
    body = _body(response).replace(world.a.umbrella.name, "")
    for user in world.a.users.values():
        body = body.replace(user.get_full_name(), "")
    assert CANARY["a"] in body, f"{case.id} shows none of tenant A's planted strings"
    assert CANARY["b"] not in body


def test_nomination_list_email_carries_nothing_foreign(world, mailoutbox):
    """The HA team's notice of an issued list (and of a retried one): a link, never the names, and
    nothing of the other umbrella."""
    from schemes.allocations import services as allocation_services

    a = world.a
    panel = access_for(user=a.users["volunteer"], umbrella_slug=a.umbrella.slug)
    issued = allocation_services.nomination_issue(access=panel, scheme=a.objects["scheme"])
    allocation_services.nomination_retry(access=panel, nomination_list=a.objects["failed_nomination_list"])
    assert len(mailoutbox) == 2
    for message, nomination_list in zip(mailoutbox, [issued, a.objects["failed_nomination_list"]]):
        text = message.subject + message.body
        SECURITY_SUMMARY["canary_pages"] += 1
        found = CANARY["b"] in text
        SECURITY_SUMMARY["canary_found"] += int(found)
        assert not found
        assert message.to == [a.users["ha_team"].email]
        assert a.objects["scheme"].name in text and a.umbrella.name in text
        assert str(nomination_list.public_id) in message.body
        assert a.objects["applicant"].name not in text  # a link, not the names
