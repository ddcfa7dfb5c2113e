"""What keeps kept reads fresh beyond core.versions' own signals: a person's name appears in kept
data (milestone owners, lead officers), so a change to it changes the version of every umbrella
they belong to; and writes that skip the models' signals (data migrations) are followed by a new
version for every umbrella once migrate has run. The app writes no raw SQL (a test holds it to
that); an edit made by hand in the database is seen within core.versions.CACHE_SECONDS."""

from core.versions import umbrellas_changed

#: The tenant model (core.versions keys every cached read by its data version).
TENANT = "accounts.umbrella"

#: Rows that carry an umbrella but change nothing a cached read shows, and change often:
#: memberships' last visits, invitations, the log of who viewed an applicant, and CSV exports.
UNVERSIONED = frozenset(
    {
        "accounts.membership",
        "accounts.invitation",
        "accounts.export",
        "accounts.importjob",  # its progress is written every few hundred rows; no kept page shows it
        "accounts.emailfailure",
        "accounts.remindersent",
        "accounts.apitoken",  # a person's own, on their profile page (never kept); "last used" is written hourly
        "schemes.applicantview",
    }
)


def person_changed(sender, instance, update_fields=None, **kwargs):
    """(Before a person is deleted, while their memberships still say where they were.) Signing
    in changes nothing shown."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password", "reminder_frequency"}:
        return
    from accounts.models import Membership

    umbrellas_changed(Membership.objects.filter(user_id=instance.pk).values_list("umbrella_id", flat=True))


def migrated(sender, **kwargs):
    """A data migration writes without the models' signals: once migrate has run, every umbrella
    gets a new version, so no read kept before it is served after."""
    from django.db import DatabaseError

    from accounts.models import Umbrella

    try:
        umbrellas_changed(list(Umbrella.objects.values_list("pk", flat=True)))
    except DatabaseError:  # migrated back to before the umbrella table: nothing can be kept
        return


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_migrate, post_save, pre_delete

    from core import versions

    versions.connect(tenant=TENANT, unversioned=UNVERSIONED)
    post_save.connect(person_changed, sender=get_user_model(), dispatch_uid="version-person-save")
    pre_delete.connect(person_changed, sender=get_user_model(), dispatch_uid="version-person-delete")
    post_migrate.connect(migrated, sender=apps.get_app_config("accounts"), dispatch_uid="version-migrated")
