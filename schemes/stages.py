"""The community-led housing process: Group, Site, Plan, Build, Live (DESIGN.md section 4).

A leaf module (no imports from the apps) so agreements can name a "goes ahead" stage without
partnerships depending on schemes.
"""

from django.db import models


class Phase(models.TextChoices):
    GROUP = "group", "Group"
    SITE = "site", "Site"
    PLAN = "plan", "Plan"
    BUILD = "build", "Build"
    LIVE = "live", "Live"


class Stage(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry and housing needs survey"
    CLT_FORMED = "clt_formed", "CLT formed and incorporated"
    SITE_SEARCH = "site_search", "Site search"
    SITE_SECURED = "site_secured", "Site secured with the landowner"
    HA_MATCHED = "ha_matched", "HA partner matched"
    DESIGN = "design", "Design and consultation"
    PLANNING_SUBMITTED = "planning_submitted", "Planning submitted"
    PLANNING_APPROVED = "planning_approved", "Planning approved"
    S106_SIGNED = "s106_signed", "s106 agreement signed"
    FREEHOLD_AND_LEASE = "freehold_and_lease", "Freehold acquired and lease granted"
    START_ON_SITE = "start_on_site", "Start on site"
    PRACTICAL_COMPLETION = "practical_completion", "Practical completion"
    OCCUPIED = "occupied", "Homes let and occupied"
    ON_HOLD = "on_hold", "On hold"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: The spine, in order. On hold and withdrawn sit outside it.
PIPELINE: list[str] = [
    Stage.ENQUIRY,
    Stage.CLT_FORMED,
    Stage.SITE_SEARCH,
    Stage.SITE_SECURED,
    Stage.HA_MATCHED,
    Stage.DESIGN,
    Stage.PLANNING_SUBMITTED,
    Stage.PLANNING_APPROVED,
    Stage.S106_SIGNED,
    Stage.FREEHOLD_AND_LEASE,
    Stage.START_ON_SITE,
    Stage.PRACTICAL_COMPLETION,
    Stage.OCCUPIED,
]

PHASE_OF: dict[str, str] = {
    Stage.ENQUIRY: Phase.GROUP,
    Stage.CLT_FORMED: Phase.GROUP,
    Stage.SITE_SEARCH: Phase.SITE,
    Stage.SITE_SECURED: Phase.SITE,
    Stage.HA_MATCHED: Phase.PLAN,
    Stage.DESIGN: Phase.PLAN,
    Stage.PLANNING_SUBMITTED: Phase.PLAN,
    Stage.PLANNING_APPROVED: Phase.PLAN,
    Stage.S106_SIGNED: Phase.PLAN,
    Stage.FREEHOLD_AND_LEASE: Phase.BUILD,
    Stage.START_ON_SITE: Phase.BUILD,
    Stage.PRACTICAL_COMPLETION: Phase.BUILD,
    Stage.OCCUPIED: Phase.LIVE,
}


def pipeline_index(stage: str) -> int | None:
    """Position on the spine, or None for on hold and withdrawn."""
    try:
        return PIPELINE.index(stage)
    except ValueError:
        return None


def has_reached(stage: str, milestone: str) -> bool:
    """Whether a scheme at `stage` has reached `milestone` on the spine."""
    here, there = pipeline_index(stage), pipeline_index(milestone)
    return here is not None and there is not None and here >= there


def stage_track(stage: str, held_from: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """The spine grouped by phase, each stage marked done, current or to do (for the page)."""
    reference = held_from if stage == Stage.ON_HOLD else stage
    here = pipeline_index(reference)
    track: list[tuple[str, list[tuple[str, str]]]] = []
    for phase in Phase:
        items = []
        for s in PIPELINE:
            if PHASE_OF[s] != phase:
                continue
            i = pipeline_index(s)
            if here is None:
                state = "todo"
            elif i < here or (i == here and s == Stage.OCCUPIED):
                state = "done"
            elif i == here:
                state = "current"
            else:
                state = "todo"
            items.append((Stage(s).label, state))
        track.append((phase.label, items))
    return track
