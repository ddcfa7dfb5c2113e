"""The CSV imports that may run as a task (accounts.ImportJob). Each app registers its own from
its AppConfig.ready (as documents.subjects does), so accounts, the ground floor, knows none of
them: what the rows are, what they are imported into, and where the result is seen."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.access import Access


@dataclass(frozen=True)
class Importer:
    """`target(access, public_id)` finds what the rows go into through the app's selector (None
    when the import needs none; raises Http404 when the person may not see it). `run(access=,
    target=, source=, progress=, on_saved=)` checks every row and saves all or none, calling
    `on_saved(count)` inside the transaction that saves them; it returns how many it saved.
    `done_url(target, umbrella_slug)` is where the result is seen; `retry_url(target,
    umbrella_slug)`, the upload form, offered when a file was refused or failed."""

    kind: str
    rule: str
    columns: list[str]
    required: list[str]
    run: Callable[..., int]
    done_url: Callable[[Any, str], str]
    what: str  # "time entries": "Imported 1,204 time entries."
    target: Callable[[Access, Any], Any] = lambda access, public_id: None
    retry_url: Callable[[Any, str], str] | None = None


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer
