"""Queued work for programmes: the case-study PDF. Takes ids only, rebuilds access and re-checks it.

Registered under an explicit name; partnerships/programmes/urls.py imports this module so the web
process knows the task, and config/celery_app.py autodiscovers it for the worker.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from accounts.access import access_for_user_id, second_check
from accounts.rules import can
from partnerships.programmes.models import CaseStudy, CaseStudyStatus

log = logging.getLogger(__name__)
MAX_RETRIES = 3


@shared_task(bind=True, name="partnerships.programme_case_study", max_retries=MAX_RETRIES, acks_late=True)
def render_case_study(self, case_study_id: int) -> str:
    with transaction.atomic():
        case_study = (
            CaseStudy.objects.select_for_update()
            .select_related("programme", "umbrella")
            .filter(pk=case_study_id)
            .first()
        )
        if case_study is None:
            return "gone"
        if case_study.status not in (CaseStudyStatus.QUEUED, CaseStudyStatus.RENDERING):
            return f"skipped: {case_study.status}"  # done already (a redelivered task)
        case_study.status = CaseStudyStatus.RENDERING
        case_study.attempts += 1
        case_study.save(update_fields=["status", "attempts", "updated_at"])

    access = access_for_user_id(user_id=case_study.requested_by_id, umbrella_id=case_study.umbrella_id)
    if access is None or not can(access, "partners.manage"):
        _fail(case_study, "The person who asked for it no longer has access; ask again.")
        return "refused"
    second_check(access.umbrella.pk == case_study.programme.umbrella_id)

    from partnerships.programmes.services import case_study_render

    try:
        case_study_render(access=access, case_study=case_study)
    except Exception as error:
        log.exception("Rendering case study %s failed", case_study_id)
        if self.request.retries < MAX_RETRIES:
            CaseStudy.objects.filter(pk=case_study_id).update(
                status=CaseStudyStatus.QUEUED, failure_reason=f"Retrying after: {error}"
            )
            raise self.retry(exc=error, countdown=2**self.request.retries * settings.STATEMENT_RETRY_BASE_SECONDS)
        _fail(case_study, f"The PDF could not be made after {MAX_RETRIES + 1} tries: {error}")
        return "failed"
    return "ready"


def _fail(case_study: CaseStudy, reason: str) -> None:
    CaseStudy.objects.filter(pk=case_study.pk).update(status=CaseStudyStatus.FAILED, failure_reason=reason)
