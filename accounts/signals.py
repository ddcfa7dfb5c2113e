"""What keeps cached reads fresh beyond core.versions' own signals: a person's name appears on
cached pages (milestone owners, lead officers), so a change to it changes the version of every
umbrella they belong to."""

from core.versions import umbrellas_changed

#: The tenant model (core.versions keys every cached read by its data version).
TENANT = "accounts.umbrella"

#: Rows that carry an umbrella but change nothing a cached read shows, and change often:
#: memberships' last visits, invitations, and the log of who viewed an applicant.
UNVERSIONED = frozenset({"accounts.membership", "accounts.invitation", "schemes.applicantview"})


def person_changed(sender, instance, update_fields=None, **kwargs):
    """(Before a person is deleted, while their memberships still say where they were.) Signing
    in changes nothing shown."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    from accounts.models import Membership

    umbrellas_changed(Membership.objects.filter(user_id=instance.pk).values_list("umbrella_id", flat=True))


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save, pre_delete

    from core import versions

    versions.connect(tenant=TENANT, unversioned=UNVERSIONED)
    post_save.connect(person_changed, sender=get_user_model(), dispatch_uid="version-person-save")
    pre_delete.connect(person_changed, sender=get_user_model(), dispatch_uid="version-person-delete")
