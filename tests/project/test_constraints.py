"""constraints.txt pins the exact releases every install uses (make venv, the Docker image).

Each dependency pyproject.toml names, the app's and the dev tools', is pinned there at a release
inside pyproject's range, and the virtualenv the suite runs in holds exactly the pinned releases:
so what passed here is what a fresh machine and the image install.
"""

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep, f"constraints.txt pins exact releases only, not {line!r}"
        found[canonicalize_name(name)] = version.strip()
    return found


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    return [Requirement(r) for r in names]


def test_every_dependency_is_pinned_inside_its_range():
    pinned = pins()
    problems = []
    for req in requirements():
        version = pinned.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not pinned")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} is outside pyproject's {req.specifier}")
    assert problems == [], "constraints.txt does not fit pyproject.toml (run make constraints):\n" + "\n".join(problems)


def test_the_suite_runs_on_the_pinned_releases():
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, version in pins().items() if installed.get(name) != version}
    assert wrong == {}, f"pinned release, installed release: {wrong}"
