"""Queued work for programmes: the case-study PDF, through core.documents. Takes ids only, rebuilds
the access of the person who asked and re-checks it.

Registered under an explicit name; partnerships/programmes/urls.py imports this module so the web
process knows the task, and config/celery_app.py autodiscovers it for the worker.
"""

from celery import shared_task

from accounts.access import Access, second_check
from accounts.rules import access_that_can
from core import documents
from partnerships.programmes.models import CaseStudy


def _access(case_study: CaseStudy, user_id: int | None) -> Access | None:
    user_id = user_id or case_study.requested_by_id
    access = access_that_can(user_id=user_id, umbrella_id=case_study.umbrella_id, rule="partners.manage")
    if access is None:
        return None
    second_check(access.umbrella.pk == case_study.programme.umbrella_id)
    return access


def _draw(access: Access, case_study: CaseStudy) -> None:
    from partnerships.programmes.services import case_study_render

    case_study_render(access=access, case_study=case_study)


@shared_task(bind=True, name="partnerships.programme_case_study", max_retries=documents.MAX_RETRIES, acks_late=True)
def render_case_study(self, case_study_id: int, user_id: int | None = None) -> str:
    return documents.render(self, CASE_STUDY, case_study_id, user_id)


CASE_STUDY = documents.DocumentKind(
    label="case study",
    what="The PDF",
    model=CaseStudy,
    task=render_case_study,
    access=_access,
    draw=_draw,
    select_related=("programme", "umbrella"),
    unreachable="The task queue could not be reached, so the case study was not made. Try again shortly.",
)
