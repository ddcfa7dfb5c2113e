"""Issue 17's limits came with check constraints; rows from before them are made to fit on the way
up, without changing a penny or a date: a 30-hour entry becomes 24 + 6 hours on its date; a
household needing no bedroom needs one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("schemes", "0009_stage_change_recorded_at")
AFTER = ("schemes", "0010_plain_limits")


@pytest.mark.django_db(transaction=True)
def test_old_rows_are_fitted_to_the_new_limits():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    old = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
    Umbrella, User = old.get_model("accounts", "Umbrella"), old.get_model("accounts", "User")
    CLT, Scheme = old.get_model("clts", "CLT"), old.get_model("schemes", "Scheme")
    StaffRole, CostEntry = old.get_model("partnerships", "StaffRole"), old.get_model("schemes", "CostEntry")
    Applicant = old.get_model("schemes", "Applicant")
    u = Umbrella.objects.create(name="Old data", slug="old-data")
    person = User.objects.create(email="old@example.test")
    clt = CLT.objects.create(umbrella=u, name="Old CLT")
    scheme = Scheme.objects.create(umbrella=u, clt=clt, name="Old scheme")
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    CostEntry.objects.create(umbrella=u, kind="time", clt=clt, scheme=scheme, on=date(2025, 3, 3), person=person,
                             staff_role=role, hours=Decimal("30.00"), activity="Week of surveys")  # fmt: skip
    Applicant.objects.create(umbrella=u, scheme=scheme, name="Old applicant", registered_on=date(2024, 1, 1),
                             need_band=1, bedrooms_needed=0)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
    entries = new.get_model("schemes", "CostEntry").objects.filter(scheme__name="Old scheme").order_by("hours")
    assert [(e.hours, e.on) for e in entries] == [
        (Decimal("6.00"), date(2025, 3, 3)),
        (Decimal("24.00"), date(2025, 3, 3)),
    ]
    assert {e.activity for e in entries} == {
        "Week of surveys (part 1 of 2 of one entry of 30.00 hours)",
        "Week of surveys (part 2 of 2 of one entry of 30.00 hours)",
    }
    assert new.get_model("schemes", "Applicant").objects.get(name="Old applicant").bedrooms_needed == 1
    MigrationExecutor(connection).migrate(leaves)
