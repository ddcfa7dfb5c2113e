"""A data version per umbrella, for reads worth caching (the dashboards' umbrella-wide figures).

Any write to a row that carries an umbrella gives that umbrella a new version: saves and deletes
(cascades included) through model signals, many-to-many changes, and `QuerySet.update()`,
`bulk_create()` and `bulk_update()` through `TenantQuerySet`, which every such model uses
(a test holds every model to that). A cached read is keyed by the version it was computed under.

The version is a column of the umbrella (`Umbrella.data_version`), written in the same
transaction as the data: it commits with it or rolls back with it, so no reader can see new data
under an old version for longer than its own read, and a fresh random value each time means a
rolled-back version is never reused for other data. A read takes the version *before* it
queries, so what it caches is never older than its key.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import models

T = TypeVar("T")

#: A backstop for what the version does not cover (a person's name shown on a cached figure).
CACHE_SECONDS = 10 * 60


def umbrella_version(umbrella_id: int) -> str:
    from .models import Umbrella

    version = Umbrella.objects.filter(pk=umbrella_id).values_list("data_version", flat=True).first()
    return version.hex if version else "none"


def umbrellas_changed(umbrella_ids: Iterable[int | None]) -> None:
    from .models import Umbrella

    ids = {i for i in umbrella_ids if i is not None}
    if ids:
        Umbrella.objects.filter(pk__in=ids).update(data_version=uuid.uuid4())


def cached_read(*, umbrella_id: int, name: str, parts: Iterable = (), compute: Callable[[], T]) -> T:
    """`compute()`, kept until the umbrella's data changes (or CACHE_SECONDS pass). `parts` must
    name everything else the result depends on: the reader's scope (role, CLT or HA ids), the date."""
    version = umbrella_version(umbrella_id)
    scope = hashlib.sha256(repr(list(parts)).encode()).hexdigest()[:32]
    key = f"fieldgate:read:{name}:{umbrella_id}:{version}:{scope}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


class TenantQuerySet(models.QuerySet):
    """Bulk writes change the version of every umbrella they touch, as single saves do."""

    def update(self, **kwargs):
        touched = set(self.order_by().values_list("umbrella_id", flat=True).distinct())
        rows = super().update(**kwargs)
        umbrellas_changed(touched | {kwargs.get("umbrella_id"), getattr(kwargs.get("umbrella"), "pk", None)})
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        umbrellas_changed(obj.umbrella_id for obj in objs)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, *args, **kwargs)
        umbrellas_changed(obj.umbrella_id for obj in objs)
        return rows


def _umbrella_id_of(instance) -> int | None:
    if instance._meta.label_lower == "accounts.umbrella":
        return instance.pk
    return getattr(instance, "umbrella_id", None)


def _on_write(sender, instance, **kwargs):
    umbrellas_changed([_umbrella_id_of(instance)])


def _on_m2m(sender, instance, **kwargs):
    if kwargs.get("action", "").startswith("post_"):
        umbrellas_changed([_umbrella_id_of(instance)])


#: Rows that carry an umbrella but change nothing a cached read shows, and change often.
UNVERSIONED = {"accounts.membership", "accounts.invitation"}


def versioned_models():
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNVERSIONED:
            continue
        if label == "accounts.umbrella" or any(f.name == "umbrella" for f in model._meta.concrete_fields):
            yield model


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in versioned_models():
        post_save.connect(_on_write, sender=model, dispatch_uid=f"version-save-{model._meta.label_lower}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"version-delete-{model._meta.label_lower}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_m2m, sender=field.remote_field.through,
                                dispatch_uid=f"version-m2m-{model._meta.label_lower}-{field.name}")
