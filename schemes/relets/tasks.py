"""Queued work for re-lets: telling the CLT's allocation panel and the scheme's lead officer that
a home has fallen vacant (a link, never a name). Ids only; the access of whoever recorded it is
rebuilt and re-checked."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from accounts import mail
from accounts.rules import access_that_can
from accounts.selectors import panel_emails
from schemes.relets.models import Vacancy, VacancyStatus


@shared_task(name="schemes.notify_vacancy")
def notify_vacancy(vacancy_id: int, user_id: int) -> int:
    vacancy = (
        Vacancy.objects.select_related("home__scheme__clt", "home__scheme__lead_officer", "umbrella")
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None or vacancy.status != VacancyStatus.OPEN:
        return 0
    access = access_that_can(user_id=user_id, umbrella_id=vacancy.umbrella_id, rule="relets.report")
    if access is None:
        return 0
    scheme = vacancy.home.scheme
    recipients = set(panel_emails(access=access, clt_id=scheme.clt_id))
    if scheme.lead_officer is not None and scheme.lead_officer.is_active:
        recipients.add(scheme.lead_officer.email)
    recipients.discard(access.user.email)
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse(
        "vacancy_detail", kwargs={"umbrella_slug": vacancy.umbrella.slug, "public_id": vacancy.public_id}
    )
    sent = mail.send(
        umbrella_id=vacancy.umbrella_id,
        about=f"vacancy:{vacancy.public_id}",
        subject=f"[Fieldgate] {vacancy.home} falls vacant: a nomination is asked for",
        message=(
            f"{access.user.get_full_name() or access.user.email} has recorded that {vacancy.home} "
            f"({scheme.name}, {vacancy.home.bedrooms} bedroom{'s' if vacancy.home.bedrooms != 1 else ''}) "
            f"is vacant from {vacancy.vacant_from:%-d %B %Y}, and asks {scheme.clt.name} for a nomination.\n\n"
            f"The ranking for the home, and the button to issue the list, are here:\n{link}\n\n"
            f"{vacancy.umbrella.name}\n"
        ),
        recipients=sorted(recipients),
    )
    return len(recipients) if sent else 0
