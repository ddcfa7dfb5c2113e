"""Bringing an umbrella's existing work into Fieldgate: CLTs, sites and schemes from one CSV, each
scheme at its current stage since a stated date. Every row, or none; every problem by line and
column (core.csvimport). A CLT, parish or site named in the file is found by name, or made once
however many rows name it. Gates are not checked (the stage is history, not a move being made
now); the stage's date is recorded as when it happened, and today as when it was recorded.

Services of this app (as schemes/services.py), kept apart because the file reaches four models."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import Access
from accounts.records import record_create, require
from clts.models import CLT, Parish, SetupStatus
from core.csvimport import read_csv
from partnerships.organisations.models import HousingAssociation
from schemes.models import Scheme, Site, StageChange
from schemes.services import noon_on
from schemes.stages import PIPELINE, Stage, pipeline_index

HISTORY_COLUMNS = [
    "clt",
    "scheme",
    "stage",
    "stage date",
    "housing association",
    "parish",
    "district",
    "site",
    "social rent",
    "affordable rent",
    "shared ownership",
    "discounted sale",
    "note",
]
HISTORY_REQUIRED = ["clt", "scheme", "stage", "stage date"]
HOMES = {
    "social rent": "homes_social_rent",
    "affordable rent": "homes_affordable_rent",
    "shared ownership": "homes_shared_ownership",
    "discounted sale": "homes_discounted_sale",
}
#: A stage by its label or its code: any stage of the pipeline, or withdrawn (on hold needs the
#: stage it was held from, so it is not one to bring in).
STAGES = {s.label.lower(): s.value for s in (*PIPELINE, Stage.WITHDRAWN)} | {
    s.value: s.value for s in (*PIPELINE, Stage.WITHDRAWN)
}


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def history_import(*, access: Access, source, progress=None, on_saved=None) -> list[Scheme]:
    """Bring in CLTs, sites and schemes from CSV (a file or its text): every row, or none."""
    require(access, "schemes.manage")
    require(access, "clts.manage")
    rows = read_csv(source, columns=HISTORY_COLUMNS, required=HISTORY_REQUIRED, progress=progress)
    problems = rows.problems
    umbrella = access.umbrella
    clts = {_key(c.name): c for c in CLT.objects.filter(umbrella=umbrella)}
    partners = {}
    for ha in HousingAssociation.objects.filter(umbrella=umbrella):
        partners[_key(ha.name)] = ha
        if ha.short_name:
            partners.setdefault(_key(ha.short_name), ha)
    parishes = {(_key(p.name), _key(p.district)): p for p in Parish.objects.filter(umbrella=umbrella)}
    sites = {_key(s.name): s for s in Site.objects.filter(umbrella=umbrella)}
    existing = {(s.clt_id, _key(s.name)) for s in Scheme.objects.filter(umbrella=umbrella)}
    today = timezone.localdate()
    seen: dict[tuple[str, str], int] = {}
    planned = []
    for line, row in rows:
        here = len(problems)

        def bad(column: str, message: str, line=line) -> None:
            problems.append(f"Line {line}, column “{column}”: {message}")

        clt_name, scheme_name = " ".join(row["clt"].split()), " ".join(row["scheme"].split())
        if not clt_name:
            bad("clt", "the CLT's name is needed.")
        if not scheme_name:
            bad("scheme", "the scheme's name is needed.")
        stage = STAGES.get(_key(row["stage"]))
        if stage is None:
            bad(
                "stage",
                f"“{row['stage']}” is not a stage: use one of {', '.join(s.label for s in PIPELINE)}, or Withdrawn.",
            )
        try:
            on = date.fromisoformat(row["stage date"])
            if on > today:
                bad("stage date", f"{on:%-d %b %Y} is after today: give the date the scheme reached its stage.")
        except ValueError:
            on = None
            bad("stage date", f"“{row['stage date']}” is not a date (use YYYY-MM-DD).")
        ha = None
        if row.get("housing association"):
            ha = partners.get(_key(row["housing association"]))
            if ha is None:
                bad("housing association", f"no HA partner called “{row['housing association']}”: add it first.")
        parish_key = None
        if row.get("parish") or row.get("district"):
            if not (row.get("parish") and row.get("district")):
                bad("district" if row.get("parish") else "parish", "give both the parish and its district.")
            else:
                parish_key = (_key(row["parish"]), _key(row["district"]))
        site_name = " ".join(row.get("site", "").split())
        if site_name and _key(site_name) not in sites and parish_key is None:
            bad("site", f"“{site_name}” is a new site: give its parish and district too.")
        homes = {}
        for column, field in HOMES.items():
            value = row.get(column, "") or "0"
            if not value.isdigit() or int(value) > 999:
                bad(column, f"“{value}” is not a number of homes (a whole number, 0 to 999).")
            else:
                homes[field] = int(value)
        clt = clts.get(_key(clt_name))
        key = (_key(clt_name), _key(scheme_name))
        if clt is not None and (clt.pk, key[1]) in existing:
            bad("scheme", f"“{scheme_name}” of {clt.name} is already in Fieldgate.")
        elif scheme_name and key in seen:
            bad("scheme", f"“{scheme_name}” of {clt_name} is also on line {seen[key]}.")
        seen.setdefault(key, line)
        if len(problems) > here:
            continue
        planned.append(
            dict(
                clt=clt_name,
                scheme=scheme_name,
                stage=stage,
                on=on,
                ha=ha,
                parish=parish_key,
                parish_names=(row.get("parish", ""), row.get("district", "")),
                site=site_name,
                homes=homes,
                note=row.get("note", ""),
                line=line,
            )  # fmt: skip
        )
    problems.refuse()
    if not planned:
        raise ValidationError({"file": "The file has no rows to import."})
    made: list[Scheme] = []
    with transaction.atomic():
        for plan in planned:
            made.append(_bring_in(access, plan, clts, parishes, sites))
        if on_saved is not None:
            on_saved(len(made))  # a queued import's "finished", in the same transaction
    return made


def _bring_in(access: Access, plan: dict, clts: dict, parishes: dict, sites: dict) -> Scheme:
    umbrella = access.umbrella
    clt = clts.get(_key(plan["clt"]))
    if clt is None:
        formed = pipeline_index(plan["stage"]) is not None and pipeline_index(plan["stage"]) >= PIPELINE.index(
            Stage.CLT_FORMED
        )
        clt = record_create(
            access=access,
            instance=CLT(
                umbrella=umbrella, name=plan["clt"], setup_status=SetupStatus.ACTIVE if formed else SetupStatus.ENQUIRY
            ),
            rule="clts.manage",
            summary=f"Brought in CLT “{plan['clt']}” from a CSV",
        )
        clts[_key(plan["clt"])] = clt
    site = sites.get(_key(plan["site"])) if plan["site"] else None
    if plan["site"] and site is None:
        parish = parishes.get(plan["parish"])
        if parish is None:
            name, district = plan["parish_names"]
            parish = record_create(
                access=access,
                instance=Parish(umbrella=umbrella, name=" ".join(name.split()), district=" ".join(district.split())),
                rule="clts.manage",
            )
            parishes[plan["parish"]] = parish
        site = record_create(
            access=access, instance=Site(umbrella=umbrella, name=plan["site"], parish=parish), rule="schemes.manage"
        )
        sites[_key(plan["site"])] = site
    scheme = Scheme(umbrella=umbrella, clt=clt, name=plan["scheme"], site=site, housing_association=plan["ha"],
                    **plan["homes"])  # fmt: skip
    scheme.stage = plan["stage"]
    record_create(
        access=access,
        instance=scheme,
        rule="schemes.manage",
        summary=f"Brought in from a CSV at “{Stage(plan['stage']).label}” since {plan['on']:%-d %b %Y}",
    )
    StageChange.objects.create(
        umbrella=umbrella,
        scheme=scheme,
        from_stage="",
        to_stage=plan["stage"],
        changed_by=access.user,
        changed_at=noon_on(plan["on"]),
        note=" ".join(plan["note"].split()) or "Brought in from a CSV of existing schemes",
    )
    return scheme
