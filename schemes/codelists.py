"""The published code lists Fieldgate's tenures and stages are given in, for open data and the API.

Tenure, in three lists:
- Fieldgate's own code for each of the five tenures a scheme counts its homes by;
- digital-land's planning-application `tenure-type` code list (its full and outline application
  values): `affordable-rent` ("Social, Affordable, or Intermediate Rent") for the rented
  tenures, `home-ownership` ("Affordable Home Ownership") for the rest. First Homes are an
  affordable home-ownership product (digital-land's `starter-homes` is the older, different one);
- CORE (the Regulator's COntinuous REcording of lettings and sales): the rent type for the
  rented tenures (0 social rent, 1 affordable rent) and the sales ownership scheme for the rest
  (1 shared ownership, 2 discounted ownership, which covers First Homes).

Stage: Fieldgate's code and name, its place on the spine (1 to 13; none for on hold and
withdrawn) and its phase (Group, Site, Plan, Build, Live); there is no published list of the
community-led housing process's stages.
"""

from dataclasses import dataclass

from schemes.stages import PHASE_OF, PIPELINE, Phase, Stage

CORE_RENT_TYPE = "CORE rent type"
CORE_OWNERSHIP = "CORE sales ownership scheme"
DIGITAL_LAND_TENURE = "digital-land tenure-type"


@dataclass(frozen=True)
class Tenure:
    field: str  # the Scheme's field counting its homes
    code: str
    name: str
    digital_land: str
    core_list: str
    core_code: str


TENURES: list[Tenure] = [
    Tenure("homes_social_rent", "social-rent", "Social rent", "affordable-rent", CORE_RENT_TYPE, "0"),
    Tenure("homes_affordable_rent", "affordable-rent", "Affordable rent", "affordable-rent", CORE_RENT_TYPE, "1"),
    Tenure("homes_shared_ownership", "shared-ownership", "Shared ownership", "home-ownership", CORE_OWNERSHIP, "1"),
    Tenure(
        "homes_discounted_sale",
        "discounted-market-sale",
        "Discounted market sale",
        "home-ownership",
        CORE_OWNERSHIP,
        "2",
    ),
    Tenure("homes_first_homes", "first-homes", "First Homes", "home-ownership", CORE_OWNERSHIP, "2"),
]

DIGITAL_LAND_NAMES = {
    "affordable-rent": "Social, Affordable, or Intermediate Rent",
    "home-ownership": "Affordable Home Ownership",
}


@dataclass(frozen=True)
class StageCode:
    code: str
    name: str
    position: int | None
    phase: str | None
    phase_name: str | None


def stage_code(stage: str) -> StageCode | None:
    """The stage's codes; None for a blank or unknown value."""
    if stage not in Stage.values:
        return None
    phase = PHASE_OF.get(stage)
    return StageCode(
        code=stage,
        name=Stage(stage).label,
        position=PIPELINE.index(stage) + 1 if stage in PIPELINE else None,
        phase=str(phase) if phase else None,
        phase_name=Phase(phase).label if phase else None,
    )


STAGES: list[StageCode] = [stage_code(s) for s in Stage.values]
