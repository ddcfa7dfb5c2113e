"""A worker killed in the middle of rendering a statement leaves no half-written file, and the
statement still completes, once, when another worker picks the task up again.

Real parts only: a separate `celery worker` process on the harness's Redis, killed with SIGKILL
while the statement is rendering; the task was acknowledged late, so Redis hands it back."""

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Role
from config.celery_app import app as celery_app
from partnerships.organisations.models import FeeBasis, RoleRate, StaffRole
from partnerships.recoupment import services as statements
from partnerships.recoupment.models import Statement, StatementStatus
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.conftest import SECURITY_SUMMARY
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

ROOT = Path(__file__).resolve().parents[2]
LOG = open("/tmp/worker-killed.log", "ab")  # noqa: SIM115


def big_statement_data(n_schemes=20, n_lines=2000):
    u = UmbrellaFactory()
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u)
    AgreementFactory(
        housing_association=ha, fee_basis=FeeBasis.ACTUAL_CAPPED, fee_per_home=None, cap_amount=Decimal("1000000")
    )
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=Decimal("50"), effective_from=date(2020, 1, 1))
    clt = CLTFactory(umbrella=u)
    entries = []
    for i in range(n_schemes):
        scheme = SchemeFactory(clt=clt, housing_association=ha, name=f"Scheme {i:02d}", stage=Stage.START_ON_SITE)
        StageChange.objects.create(
            umbrella=u,
            scheme=scheme,
            to_stage=Stage.START_ON_SITE,
            changed_at=timezone.make_aware(datetime(2025, 1, 1, 9)),
        )
        for j in range(n_lines // n_schemes):
            entries.append(
                CostEntry(
                    umbrella=u,
                    kind="time",
                    clt=clt,
                    scheme=scheme,
                    on=date(2025, 1 + j % 12, 1 + j % 28),
                    person=staff,
                    staff_role=role,
                    hours=Decimal("1.5"),
                    activity=f"Meeting {j}",
                )
            )
    CostEntry.objects.bulk_create(entries)
    return access_for(user=staff, umbrella_slug=u.slug), ha


def start_worker_process():
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "MEDIA_ROOT": str(settings.PRIVATE_FILES_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=LOG,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_no_half_file_and_the_statement_completes_once():
    access, ha = big_statement_data()
    celery_app.conf.task_always_eager = False
    first = start_worker_process()
    second = None
    try:
        statement, _ = statements.statement_request(
            access=access, housing_association=ha, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
        )
        assert wait_for(lambda: Statement.objects.get(pk=statement.pk).status == StatementStatus.RENDERING, 60)
        time.sleep(0.4)  # inside the render
        stop(first)
        killed_at = time.monotonic()
        folder = Path(settings.PRIVATE_FILES_ROOT) / str(ha.umbrella_id) / "statements" / str(ha.public_id)
        assert Statement.objects.get(pk=statement.pk).status == StatementStatus.RENDERING
        assert not folder.exists() or not any(folder.iterdir()), "a killed render left a file behind"

        second = start_worker_process()
        assert wait_for(lambda: Statement.objects.get(pk=statement.pk).status == StatementStatus.READY, 90), (
            Statement.objects.get(pk=statement.pk).failure_reason
        )
        SECURITY_SUMMARY["stale_worker_killed_s"] = f"{time.monotonic() - killed_at:.1f}"
        statement.refresh_from_db()
        files = list(folder.iterdir())
        assert [f.name for f in files] == [f"{statement.public_id}.pdf"]  # one file, no ".partial-" left
        assert files[0].read_bytes().startswith(b"%PDF")
        assert statement.attempts == 2
        assert Statement.objects.filter(housing_association=ha).count() == 1
    finally:
        stop(first)
        if second is not None:
            stop(second)
        celery_app.conf.task_always_eager = True
