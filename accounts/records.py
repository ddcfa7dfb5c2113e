"""Create, change and delete any tenant-owned record, with its change history.

Entity services (`site_create`, `scheme_update`, ...) call these after their own domain checks,
so every write checks the rule, sets the umbrella from the access object (never from input),
validates the whole row and leaves an audit event saying who changed what, when.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from accounts.access import Access
from accounts.models import AuditEvent
from accounts.rules import can

HIDDEN_FIELDS = {"id", "umbrella", "public_id", "created_at", "updated_at"}


def _display(obj, field) -> str:
    value = getattr(obj, field.attname if field.is_relation else field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if field.is_relation:
        return str(getattr(obj, field.name))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if field.decimal_places == 2 else str(value)
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str]:
    """A record's visible fields as text, keyed by their labels."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or not field.editable:
            continue
        out[str(field.verbose_name)] = _display(obj, field)
    return out


def require(access: Access, rule: str, obj=None) -> None:
    if not can(access, rule, obj):
        raise PermissionDenied("Your role in this umbrella does not allow this.")


def _audit(access: Access, obj, action: str, summary: str, changes: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        umbrella=access.umbrella,
        actor=access.user,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.public_id),
        summary=summary[:500],
        changes=changes or {},
    )


def record_create(*, access: Access, instance: models.Model, rule: str, summary: str = "") -> models.Model:
    require(access, rule, instance)
    instance.umbrella = access.umbrella
    instance.full_clean()
    with transaction.atomic():
        instance.save()
        _audit(access, instance, "created", summary or f"Created {instance._meta.verbose_name} “{instance}”")
    return instance


def record_create_many(*, access: Access, instances: list, rule: str, summary) -> list:
    """Create many records at once (an import), each checked and validated as record_create does
    and each with its audit event, written in batches in one transaction. Foreign keys are the
    importing service's own lookups within the umbrella, so they are not fetched again, and the
    table's constraints are left to the database (an IntegrityError rolls the whole import back).
    `summary(instance)` is each audit line."""
    for instance in instances:
        require(access, rule, instance)
        instance.umbrella = access.umbrella
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    if not instances:
        return instances
    model = type(instances[0])
    with transaction.atomic():
        model.objects.bulk_create(instances, batch_size=1000)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    umbrella=access.umbrella,
                    actor=access.user,
                    action="created",
                    object_type=model._meta.model_name,
                    object_id=str(instance.public_id),
                    summary=summary(instance)[:500],
                    changes={},
                )
                for instance in instances
            ],
            batch_size=1000,
        )
    return instances


def record_update(
    *, access: Access, instance: models.Model, before: dict[str, str], rule: str, summary: str = ""
) -> models.Model:
    """`before` is `snapshot(instance)` taken before the changes were applied to it."""
    require(access, rule, instance)
    if instance.umbrella_id != access.umbrella.pk:  # a second check on the path that writes
        raise PermissionDenied("Not in this umbrella.")
    instance.full_clean()
    after = snapshot(instance)
    changes = {
        label: [before.get(label, ""), value] for label, value in after.items() if before.get(label, "") != value
    }
    with transaction.atomic():
        instance.save()
        if changes:
            _audit(access, instance, "changed", summary or f"Changed {', '.join(changes)}", changes)
    return instance


def record_delete(*, access: Access, instance: models.Model, rule: str) -> None:
    require(access, rule, instance)
    if instance.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    with transaction.atomic():
        _audit(access, instance, "deleted", f"Deleted {instance._meta.verbose_name} “{instance}”", snapshot(instance))
        instance.delete()


def record_event(*, access: Access, instance: models.Model, action: str, summary: str, changes=None) -> AuditEvent:
    """An audit line for a domain event that is not a plain edit (a stage move, a match)."""
    return _audit(access, instance, action, summary, changes)
