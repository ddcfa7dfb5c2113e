"""The records a document may belong to, registered by the apps that own them (in their
AppConfig.ready), so that this app needs none of them.

A subject's `get(access, public_id)` is its owner's selector: it answers the record or raises
Http404 for what the access may not see, exactly as the record's own page does. A document is
seen by those who may see its subject, and no one else (documents.selectors)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404

from accounts.access import Access


@dataclass(frozen=True)
class Subject:
    kind: str  # a documents.models.SubjectKind value
    get: Callable[[Access, object], object]
    #: The record's page, for links back: url(record, umbrella_slug).
    url: Callable[[object, str], str]
    #: The document types usually kept on it, offered first.
    usual_types: tuple[str, ...] = ()
    #: Whether staff may share its documents with the HA team (on schemes and agreements).
    sharable: bool = False


SUBJECTS: dict[str, Subject] = {}


def register(subject: Subject) -> None:
    SUBJECTS[subject.kind] = subject


def subject_get(*, access: Access, kind: str, public_id):
    """(Subject, record) for an access: 404 for an unknown kind or a record it may not see."""
    subject = SUBJECTS.get(kind)
    if subject is None:
        raise Http404("No such record.")
    return subject, subject.get(access, public_id)
