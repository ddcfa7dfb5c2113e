"""`make bench`: figures a person can compare from one run to the next (not a pass/fail test).

Now: the recoupment statement render with 20 schemes and 2,000 cost lines (issue 4's target:
under 5 s and 300 MB on the 2-core machine). The page-load benchmark of the quality issue will
join it here.
"""

import json
import resource
import time
from datetime import date, datetime
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership, Role, Umbrella, User
from accounts.access import access_for_user_id
from clts.models import CLT
from partnerships.charts import bar_chart_svg
from partnerships.models import CollaborationAgreement, FeeBasis, HousingAssociation, RoleRate, StaffRole, Statement
from partnerships.pdf import render_pdf
from partnerships.recoupment import recoupment_calculate
from schemes.models import CostEntry, Scheme, StageChange
from schemes.stages import Stage


class Rollback(Exception):
    pass


def build_statement_data(n_schemes: int, n_lines: int):
    u = Umbrella.objects.create(name="Bench umbrella", slug=f"bench-{int(time.time() * 1000)}")
    staff = User.objects.create_user(email=f"bench-{u.slug}@example.test", password=None)
    Membership.objects.create(umbrella=u, user=staff, role=Role.STAFF)
    ha = HousingAssociation.objects.create(umbrella=u, name="Bench Homes", address="1 Bench Street")
    CollaborationAgreement.objects.create(umbrella=u, housing_association=ha, status="active",
                                          fee_basis=FeeBasis.ACTUAL_CAPPED, cap_amount=Decimal("1000000"))
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=Decimal("50"), effective_from=date(2020, 1, 1))
    clt = CLT.objects.create(umbrella=u, name="Bench CLT")
    entries = []
    for i in range(n_schemes):
        scheme = Scheme.objects.create(umbrella=u, clt=clt, housing_association=ha, name=f"Scheme {i:02d}",
                                       stage=Stage.START_ON_SITE, homes_affordable_rent=8)
        StageChange.objects.create(umbrella=u, scheme=scheme, to_stage=Stage.START_ON_SITE,
                                   changed_at=timezone.make_aware(datetime(2025, 1, 1, 9)))
        for j in range(n_lines // n_schemes):
            entries.append(CostEntry(umbrella=u, kind="time", clt=clt, scheme=scheme,
                                     on=date(2025, 1 + j % 12, 1 + j % 28), person=staff, staff_role=role,
                                     hours=Decimal("1.5"), activity=f"Design team meeting {j}"))
    CostEntry.objects.bulk_create(entries)
    return access_for_user_id(user_id=staff.pk, umbrella_id=u.pk), ha


class Command(BaseCommand):
    help = "Run the benchmarks and print their figures (also written to bench-results.json)."

    def add_arguments(self, parser):
        parser.add_argument("--schemes", type=int, default=20)
        parser.add_argument("--lines", type=int, default=2000)
        parser.add_argument("--output", default="bench-results.json")

    def handle(self, *args, schemes, lines, output, **options):
        call_command("migrate", verbosity=0)
        results = {"statement": self.bench_statement(schemes, lines)}
        with open(output, "w") as handle:
            json.dump(results, handle, indent=2)
        self.stdout.write(f"figures written to {output}")

    def bench_statement(self, n_schemes: int, n_lines: int) -> dict:
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                access, ha = build_statement_data(n_schemes, n_lines)
                built = time.perf_counter() - t0
                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                t1 = time.perf_counter()
                result = recoupment_calculate(access=access, housing_association=ha, period_start=date(2025, 1, 1),
                                              period_end=date(2025, 12, 31))
                t2 = time.perf_counter()
                statement = Statement(umbrella=access.umbrella, housing_association=ha, reference="BENCH",
                                      period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
                html = render_to_string("partnerships/statement_pdf.html", {
                    "statement": statement, "r": result, "umbrella": access.umbrella, "ha": ha,
                    "chart_svg": bar_chart_svg(title="Costs by stage", values=result.costs_by_stage),
                    "generated_on": timezone.localdate()})
                t3 = time.perf_counter()
                pdf = render_pdf(html)
                t4 = time.perf_counter()
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                raise Rollback(dict(
                    schemes=n_schemes, cost_lines=n_lines, build_seconds=round(built, 2),
                    calculate_seconds=round(t2 - t1, 2), template_seconds=round(t3 - t2, 2),
                    pdf_seconds=round(t4 - t3, 2), total_seconds=round(t4 - t1, 2), pdf_bytes=len(pdf),
                    process_peak_rss_mb=round(rss_after, 1),
                    rss_growth_mb=round(rss_after - rss_before, 1),
                    target="under 5 s and 300 MB",
                ))
        except Rollback as done:
            figures = done.args[0]
        self.stdout.write("statement render (calculate + template + PDF):")
        for key, value in figures.items():
            self.stdout.write(f"  {key:22} {value}")
        return figures
