"""`make bench`: figures a person can compare from one run to the next (not a pass/fail test).

1. The recoupment statement render with 20 schemes and 2,000 cost lines (issue 4's target: under
   5 s and 300 MB on the 2-core machine), in a transaction rolled back after.
2. The large-scale page benchmark (issue 7): the data set of bench/data.py (50
   umbrellas, 2,000 CLTs, 10,000 schemes, 500,000 cost entries, 50 HAs, one umbrella holding a
   fifth), then bench/load.py: gunicorn with the production settings, wrk on loopback,
   each main page of the big umbrella as staff, HA team and CLT volunteer beside /healthz, and
   the CSV export streamed with the workers' memory watched.

Figures go to the screen and to bench-results.json (--output). Quick run:
`make bench BENCH_ARGS="--scale 0.1 --seconds 3"`. It needs the empty throwaway database that
scripts/harness.py starts: the data set is committed there.
"""

import json
import resource
import time
from datetime import date, datetime
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import access_for_user_id
from accounts.models import Membership, Role, Umbrella, User
from clts.models import CLT
from core.charts import bar_chart_svg
from core.pdf import render_pdf
from partnerships.organisations.models import CollaborationAgreement, FeeBasis, HousingAssociation, RoleRate, StaffRole
from partnerships.recoupment.calculator import recoupment_calculate
from partnerships.recoupment.models import Statement
from schemes.models import CostEntry, Scheme, StageChange
from schemes.stages import Stage


class Rollback(Exception):
    pass


def build_statement_data(n_schemes: int, n_lines: int):
    u = Umbrella.objects.create(name="Bench umbrella", slug=f"bench-{int(time.time() * 1000)}")
    staff = User.objects.create_user(email=f"bench-{u.slug}@example.test", password=None)
    Membership.objects.create(umbrella=u, user=staff, role=Role.STAFF)
    ha = HousingAssociation.objects.create(umbrella=u, name="Bench Homes", address="1 Bench Street")
    CollaborationAgreement.objects.create(
        umbrella=u,
        housing_association=ha,
        status="active",
        fee_basis=FeeBasis.ACTUAL_CAPPED,
        cap_amount=Decimal("1000000"),
    )
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=Decimal("50"), effective_from=date(2020, 1, 1))
    clt = CLT.objects.create(umbrella=u, name="Bench CLT")
    entries = []
    for i in range(n_schemes):
        scheme = Scheme.objects.create(
            umbrella=u,
            clt=clt,
            housing_association=ha,
            name=f"Scheme {i:02d}",
            stage=Stage.START_ON_SITE,
            homes_affordable_rent=8,
        )
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
                    activity=f"Design team meeting {j}",
                )
            )
    CostEntry.objects.bulk_create(entries)
    return access_for_user_id(user_id=staff.pk, umbrella_id=u.pk), ha


class Command(BaseCommand):
    help = "Run the benchmarks and print their figures (also written to bench-results.json)."

    def add_arguments(self, parser):
        parser.add_argument("--schemes", type=int, default=20, help="statement render: schemes")
        parser.add_argument("--lines", type=int, default=2000, help="statement render: cost lines")
        parser.add_argument("--output", default="bench-results.json")
        parser.add_argument("--scale", type=float, default=1.0, help="data set size (1 = issue 7's figures)")
        parser.add_argument("--seconds", type=float, default=10, help="wrk run per page")
        parser.add_argument("--warmup", type=float, default=1, help="unmeasured wrk run before each page (0: none)")
        parser.add_argument("--connections", type=int, default=20, help="concurrent users (wrk connections)")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--serial", type=int, default=5, help="requests one at a time per page, for service time")
        parser.add_argument("--sessions", type=int, default=20, help="signed-in sessions per role, used in turn")
        parser.add_argument(
            "--csv-schemes", type=int, default=10000, help="rows of the large CSV export check (0: skip)"
        )
        parser.add_argument("--only", choices=["all", "statement", "pages"], default="all")
        parser.add_argument(
            "--pages", default="", help="only the pages whose 'role name' contains this (e.g. dashboard)"
        )

    def handle(self, *args, schemes, lines, output, only, **options):
        call_command("migrate", verbosity=0)
        results = {}
        if only in ("all", "statement"):
            results["statement"] = self.bench_statement(schemes, lines)
        if only in ("all", "pages"):
            results.update(self.bench_pages(**options))
        with open(output, "w") as handle:
            json.dump(results, handle, indent=2, default=str)
        self.stdout.write(f"figures written to {output}")

    def bench_pages(
        self, *, scale, seconds, warmup, connections, threads, workers, serial, sessions, csv_schemes, pages, **_options
    ) -> dict:
        from bench import data as benchdata
        from bench import load as benchload

        if Umbrella.objects.filter(slug=benchdata.BIG_SLUG).exists():
            raise CommandError("The bench data set is already in this database: run on a fresh one (make bench).")
        self.stdout.write(f"data set (scale {scale:g}):")
        world = benchdata.build(scale=scale)
        big = world.big_counts
        self.stdout.write(
            f"  built in {world.build_seconds} s (COPY {world.counts['copy_seconds']} s, then VACUUM ANALYZE)"
        )
        self.stdout.write(
            "  " + ", ".join(f"{n:,} {label}" for label, n in world.counts.items() if label != "copy_seconds")
        )
        self.stdout.write(
            f"  biggest umbrella ({world.slug}): {big['clts']:,} CLTs, {big['schemes']:,} schemes, "
            f"{big['cost_entries']:,} cost entries, {big['housing_associations']} HAs"
        )
        self.stdout.write("page loads:")
        load = benchload.run(
            world,
            seconds=seconds,
            warmup=warmup,
            connections=connections,
            threads=threads,
            workers=workers,
            serial=serial,
            csv_schemes=csv_schemes,
            sessions_per_role=sessions,
            only=pages,
            log=self.stdout.write,
        )
        self.print_table(load)
        return {
            "data_set": {
                "scale": scale,
                "build_seconds": world.build_seconds,
                "rows": world.counts,
                "biggest_umbrella": {"slug": world.slug, **big},
            },
            "load": load,
        }

    def print_table(self, load: dict) -> None:
        from bench.load import P95_TARGET_MS, RPS_RATIO_TARGET

        health = load["health"]
        yes = {True: "yes", False: "NO", None: "-"}
        self.stdout.write("")
        self.stdout.write(
            f"{load['server']['load']}, gunicorn {load['server']['workers']} sync workers, "
            f"production settings. Targets: p95 < {P95_TARGET_MS:g} ms; req/s >= "
            f"{RPS_RATIO_TARGET:.2f} x a trivial signed-in page's (/help/)."
        )
        self.stdout.write(
            "alone: median of requests made one at a time; median/p95/req/s: under the load; queries: one "
            "request counted in-process with the server's cache (a kept page as served); /health: req/s over /healthz's; /signed: req/s over the trivial signed-in page's; other%: share of the CPUs used by "
            "other processes on the machine during the run (a shared machine makes figures worse)."
        )
        header = (
            f"{'role':13} {'page':32} {'alone ms':>8} {'median':>8} {'p95 ms':>8} {'req/s':>7} {'queries':>7} "
            f"{'/health':>7} {'/signed':>7}  {'p95 ok':6} {'rps ok':6} {'other%':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for h in health["runs"]:
            self.stdout.write(
                f"{'-':13} {'/healthz (' + h['when'] + ')':32} {'':>8} {h['median_ms']:8.1f} "
                f"{h['p95_ms']:8.1f} {h['rps']:7.1f} {1:7} {h['rps'] / health['rps_mean']:7.2f} {'':>7}  {'':6} {'':6} "
                f"{h['other_cpu_pct']:6.1f}"
            )
        signed = load["signed_in"]
        for s in signed["runs"]:
            self.stdout.write(
                f"{'staff':13} {'help (trivial, ' + s['when'] + ')':32} {'':>8} {s['median_ms']:8.1f} "
                f"{s['p95_ms']:8.1f} {s['rps']:7.1f} {'':>7} {s['rps'] / health['rps_mean']:7.3f} "
                f"{s['rps'] / signed['rps_mean']:7.2f}  {'':6} {'':6} {s['other_cpu_pct']:6.1f}"
            )
        for p in load["pages"]:
            self.stdout.write(
                f"{p['role']:13} {p['name']:32} {p['serial_ms']:8.1f} {p['median_ms']:8.1f} "
                f"{p['p95_ms']:8.1f} {p['rps']:7.1f} {p['queries']:7} {p['ratio_to_health']:7.3f} "
                f"{p['ratio_to_signed_in']:7.3f}  "
                f"{yes[p['p95_ok']]:6} {yes[p['ratio_ok']]:6} {p['other_cpu_pct']:6.1f}"
            )
        met_p95 = sum(1 for p in load["pages"] if p["p95_ok"])
        met_rps = sum(1 for p in load["pages"] if p["ratio_ok"])
        n = len(load["pages"])
        self.stdout.write(
            f"p95 target met on {met_p95} of {n} pages; half a trivial signed-in page's throughput on {met_rps} of {n}."
        )
        csv = load.get("csv_export")
        if csv:
            self.stdout.write(
                f"CSV export of {csv['rows']:,} schemes: {csv['worst_total_s']:.2f} s (first byte {csv['worst_ttfb_s']:.3f} s), "
                f"streamed: {yes[csv['streamed']]}; asked again, the kept file: {yes[csv.get('kept', False)]} "
                f"({csv.get('kept_total_s', 0):.2f} s); worker RSS growth {csv['peak_growth_mb']['large']} MB "
                f"(big umbrella's export: {csv['peak_growth_mb']['2k_or_big']} MB). "
                f"Under 5 s: {yes[csv['time_ok']]}; memory flat: {yes[csv['memory_flat']]}."
            )

    def bench_statement(self, n_schemes: int, n_lines: int) -> dict:
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                access, ha = build_statement_data(n_schemes, n_lines)
                built = time.perf_counter() - t0
                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                t1 = time.perf_counter()
                result = recoupment_calculate(
                    access=access, housing_association=ha, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
                )
                t2 = time.perf_counter()
                statement = Statement(
                    umbrella=access.umbrella,
                    housing_association=ha,
                    reference="BENCH",
                    period_start=date(2025, 1, 1),
                    period_end=date(2025, 12, 31),
                )
                html = render_to_string(
                    "partnerships/statement_pdf.html",
                    {
                        "statement": statement,
                        "r": result,
                        "umbrella": access.umbrella,
                        "ha": ha,
                        "chart_svg": bar_chart_svg(title="Costs by stage", values=result.costs_by_stage),
                        "generated_on": timezone.localdate(),
                    },
                )
                t3 = time.perf_counter()
                pdf = render_pdf(html)
                t4 = time.perf_counter()
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                raise Rollback(
                    dict(
                        schemes=n_schemes,
                        cost_lines=n_lines,
                        build_seconds=round(built, 2),
                        calculate_seconds=round(t2 - t1, 2),
                        template_seconds=round(t3 - t2, 2),
                        pdf_seconds=round(t4 - t3, 2),
                        total_seconds=round(t4 - t1, 2),
                        pdf_bytes=len(pdf),
                        process_peak_rss_mb=round(rss_after, 1),
                        rss_growth_mb=round(rss_after - rss_before, 1),
                        target="under 5 s and 300 MB",
                    )
                )
        except Rollback as done:
            figures = done.args[0]
        self.stdout.write("statement render (calculate + template + PDF):")
        for key, value in figures.items():
            self.stdout.write(f"  {key:22} {value}")
        return figures
