"""Strategic partnership programmes: services and their validation, forms that change nothing on
bad input, the HA-team scoping, and the change history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.access import access_for
from accounts.models import AuditEvent
from partnerships.programmes import services
from partnerships.programmes.models import (
    Commitment,
    Engagement,
    EngagementReschedule,
    ExemplarSite,
    Programme,
    Representative,
)
from tests.conftest import client_for


def staff(world, key="a"):
    t = world.tenant(key)
    return access_for(user=t.users["staff"], umbrella_slug=t.umbrella.slug)


def url(world, name, **kwargs):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


def new_programme(**fields):
    values = dict(
        name="Thames Gateway partnership",
        aim="Deliver more affordable homes together",
        funding_amount=Decimal("20000.00"),
        starts_on=date(2021, 2, 1),
        ends_on=date(2021, 10, 31),
    )
    values.update(fields)
    return Programme(**values)


def test_a_programme_is_created_in_the_umbrella_with_its_history(world):
    access = staff(world)
    programme = services.programme_create(
        access=access, programme=new_programme(lead_authority=world.a.objects["prog_council"])
    )
    assert programme.umbrella == world.a.umbrella
    # 1 February to 31 October 2021: 273 days / 30.44 = 8.97, nine months.
    assert programme.duration_months == 9
    assert AuditEvent.objects.filter(object_id=str(programme.public_id), action="created").exists()


def test_a_programme_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.programme_create(access=staff(world), programme=new_programme(ends_on=date(2021, 1, 1)))
    assert "ends_on" in error.value.error_dict
    assert not Programme.objects.filter(name="Thames Gateway partnership").exists()


def test_negative_funding_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.programme_create(access=staff(world), programme=new_programme(funding_amount=Decimal("-1.00")))
    assert "funding_amount" in error.value.error_dict
    assert not Programme.objects.filter(name="Thames Gateway partnership").exists()


def test_a_lead_authority_of_another_umbrella_is_refused(world):
    with pytest.raises(ValidationError):
        services.programme_create(
            access=staff(world), programme=new_programme(lead_authority=world.b.objects["prog_council"])
        )


def test_an_exemplar_site_of_another_umbrella_is_refused(world):
    programme = world.a.objects["programme"]
    record = ExemplarSite(programme=programme, site=world.b.objects["site"])
    with pytest.raises(ValidationError) as error:
        services.programme_record_create(access=staff(world), record=record)
    assert "site" in error.value.error_dict
    assert not ExemplarSite.objects.filter(site=world.b.objects["site"], programme=programme).exists()


def test_posting_another_umbrellas_site_fails_validation_and_changes_nothing(world):
    client = client_for(world, "staff")
    before = ExemplarSite.objects.count(), AuditEvent.objects.count()
    response = client.post(
        url(world, "programme_exemplar_site_create", public_id=world.a.objects["programme"].public_id),
        {"site": world.b.objects["site"].pk},
    )
    assert response.status_code == 400
    assert "That is not one of the choices" in response.content.decode()
    assert (ExemplarSite.objects.count(), AuditEvent.objects.count()) == before


def test_the_programme_form_shows_errors_and_saves_nothing(world):
    client = client_for(world, "staff")
    before = Programme.objects.count(), AuditEvent.objects.count()
    response = client.post(
        url(world, "programme_create"),
        {
            "name": "Backwards",
            "aim": "An aim",
            "status": "proposed",
            "funding_amount": "-5",
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "must end on or after the day it starts" in body
    assert "Give 0.00 or more." in body
    assert (Programme.objects.count(), AuditEvent.objects.count()) == before


def test_a_representative_of_another_programme_cannot_attend(world):
    access = staff(world)
    programme = world.a.objects["programme"]
    other = services.programme_create(access=access, programme=new_programme())
    engagement = Engagement(programme=other, title="Kick-off", held_on=date(2021, 3, 1))
    with pytest.raises(ValidationError):
        services.programme_record_create(access=access, record=engagement, attendees=[world.a.objects["prog_rep"]])
    assert world.a.objects["prog_rep"].member.programme == programme


def test_rescheduling_keeps_the_original_date_and_the_reason(world):
    access = staff(world)
    engagement = world.a.objects["engagement"]
    original = engagement.held_on
    move = services.engagement_reschedule(
        access=access, engagement=engagement, new_date=date(2021, 3, 25), reason="National lockdown"
    )
    engagement.refresh_from_db()
    assert (move.original_date, move.new_date, move.reason) == (original, date(2021, 3, 25), "National lockdown")
    assert engagement.held_on == date(2021, 3, 25)
    with pytest.raises(ValidationError):
        services.engagement_reschedule(access=access, engagement=engagement, new_date=date(2021, 4, 1), reason=" ")
    assert EngagementReschedule.objects.filter(engagement=engagement).count() == 2  # the world's one and this


def test_an_ha_team_cannot_write(world):
    t = world.a
    access = access_for(user=t.users["ha_team"], umbrella_slug=t.umbrella.slug)
    with pytest.raises(PermissionDenied):
        services.programme_record_create(
            access=access, record=Commitment(programme=t.objects["programme"], title="Sneaky")
        )
    assert not Commitment.objects.filter(title="Sneaky").exists()


def test_ha_team_of_a_member_reads_it_others_do_not(world):
    programme = world.a.objects["programme"]
    detail = url(world, "programme_detail", public_id=programme.public_id)
    listing = url(world, "programme_list")
    member_team = client_for(world, "ha_team")
    body = member_team.get(detail).content.decode()
    assert programme.name in body and "Change the programme" not in body and "Make the case-study PDF" not in body
    assert programme.name in member_team.get(listing).content.decode()
    outsider_team = client_for(world, "other_ha_team")
    assert outsider_team.get(detail).status_code == 404
    assert programme.name not in outsider_team.get(listing).content.decode()
    assert client_for(world, "volunteer").get(detail).status_code == 403
    assert client_for(world, "volunteer").get(listing).status_code == 403


def test_the_detail_page_shows_its_records_and_change_history(world):
    access = staff(world)
    programme = world.a.objects["programme"]
    services.programme_record_create(
        access=access, record=Commitment(programme=programme, title="Bring forward two sites")
    )
    body = (
        client_for(world, "staff").get(url(world, "programme_detail", public_id=programme.public_id)).content.decode()
    )
    for expected in (
        "Bring forward two sites",
        "Change history",
        "Added commitment",
        world.a.objects["prog_rep"].name,
        "Rescheduled from 11 February 2021",
        "£20,000.00",
        "9 months",
    ):
        assert expected in body, expected


def test_the_csv_lists_the_programmes_the_reader_may_see(world):
    response = client_for(world, "ha_team").get(url(world, "programme_list") + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.a.objects["programme"].name in text and "20000.00" in text
    response = client_for(world, "other_ha_team").get(url(world, "programme_list") + "?format=csv")
    assert world.a.objects["programme"].name not in b"".join(response.streaming_content).decode()


def test_editing_a_representative_records_the_change(world):
    client = client_for(world, "staff")
    rep = world.a.objects["prog_rep"]
    response = client.post(
        url(world, "programme_representative_edit", public_id=rep.public_id),
        {"member": rep.member.pk, "name": rep.name, "title": "Director of Housing"},
    )
    assert response.status_code == 302
    rep = Representative.objects.get(pk=rep.pk)
    assert rep.title == "Director of Housing"
    assert AuditEvent.objects.filter(object_id=str(rep.public_id), action="changed").exists()
