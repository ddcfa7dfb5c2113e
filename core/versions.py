"""A data version per umbrella, for reads worth keeping (TenantView.kept and kept_fragments).

Any write to a row that carries an umbrella gives that umbrella a new version: saves and deletes
(cascades included) through model signals, many-to-many changes, and `QuerySet.update()`,
`bulk_create()` and `bulk_update()` through `TenantQuerySet`, which every such model uses
(a test holds every model to that); a change to a person's name changes the version of each
umbrella they belong to. A cached read is keyed by the version it was computed under.

The version lives in the cache (Redis), not in the database, so a write takes no lock that other
writers in the umbrella would queue behind. It is dropped at once (later reads in the writing
transaction miss) and again when the transaction commits (a read in another transaction that ran
in between, and cached what it saw before the commit, is keyed by a version that is then gone).
A read takes the version *before* it queries, so what it caches is never older than its key.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

T = TypeVar("T")

#: A backstop for what the version does not see.
CACHE_SECONDS = 10 * 60
#: A version is kept a day (a read drawn under a version that expired is simply drawn again), so that
#: every key this module writes carries an expiry and Redis may evict it (maxmemory, volatile-lru).
VERSION_SECONDS = 24 * 60 * 60


def _key(umbrella_id: int) -> str:
    return f"fieldgate:umbrella-version:{umbrella_id}"


def umbrella_version(umbrella_id: int) -> str:
    """The umbrella's data version; a new one each time when Redis is away (nothing is reused)."""
    return stored_umbrella_version(umbrella_id) or uuid.uuid4().hex


def stored_umbrella_version(umbrella_id: int) -> str | None:
    """The umbrella's data version as Redis holds it (made now if it had none), or None when Redis
    is away: for what is kept outside Redis (core.csvexport.kept_csv), which must not be keyed
    by a version nobody else will see."""
    key = _key(umbrella_id)
    version = cache.get(key)
    if version is None:
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(key, fresh, timeout=VERSION_SECONDS) else cache.get(key)
    return version


def umbrellas_changed(umbrella_ids: Iterable[int | None]) -> None:
    keys = [_key(i) for i in {i for i in umbrella_ids if i is not None}]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@functools.cache
def release() -> str:
    """What this process's code and templates are, as a digest: a read kept by another release
    (before a deploy, or by a worker not yet restarted) is never served by this one, whose pages
    may be drawn differently or hold a different shape."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: The folders whose files make a release (see release()).
RELEASE_FOLDERS = ("accounts", "clts", "config", "core", "documents", "home", "partnerships", "schemes", "templates")


def _read_key(umbrella_id: int, name: str, parts: Iterable) -> str:
    """The key of a cached read: taken *before* the read queries (see the module's docstring)."""
    version = umbrella_version(umbrella_id)
    scope = hashlib.sha256(repr(list(parts)).encode()).hexdigest()[:32]
    return f"fieldgate:read:{release()}:{name}:{umbrella_id}:{version}:{scope}"


def cached_read(*, umbrella_id: int, name: str, parts: Iterable = (), compute: Callable[[], T]) -> T:
    """`compute()`, kept until the umbrella's data changes (or CACHE_SECONDS pass). `parts` must
    name everything else the result depends on: the reader's scope (role, CLT or HA ids), the date."""
    key = _read_key(umbrella_id, name, parts)
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


def _on_write(sender, instance, **kwargs):
    umbrellas_changed([instance.pk if sender._meta.label_lower == _tenant_label else instance.umbrella_id])


def _on_m2m(sender, instance, **kwargs):
    if kwargs.get("action", "").startswith("post_"):
        _on_write(type(instance), instance)


#: The tenant model's label, as given to connect().
_tenant_label = ""


def versioned_models(*, tenant: str, unversioned: Iterable[str] = ()):
    """The tenant model and every model whose rows carry a tenant (an `umbrella` field), less
    those named in `unversioned`."""
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.label_lower
        if label in unversioned:
            continue
        if label == tenant or any(f.name == "umbrella" for f in model._meta.concrete_fields):
            yield model


def connect(*, tenant: str, unversioned: Iterable[str] = ()) -> None:
    """Called once by the app that owns the tenant model (accounts.apps), naming it and the rows
    that carry a tenant but change nothing a cached read shows."""
    global _tenant_label
    from django.db.models.signals import m2m_changed, post_delete, post_save

    _tenant_label = tenant
    for model in versioned_models(tenant=tenant, unversioned=unversioned):
        label = model._meta.label_lower
        post_save.connect(_on_write, sender=model, dispatch_uid=f"version-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"version-delete-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=f"version-m2m-{label}-{field.name}"
            )
