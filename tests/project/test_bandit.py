"""Static security scan: bandit finds no HIGH severity issue in the application code.

Runs `bandit -r` over every package of the app (core, the apps, home, api, demo, bench, config) with
`-q -f json` from the repository root (migrations are generated code and left out) and prints the
findings by severity.
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "core",
    "accounts",
    "documents",
    "clts",
    "partnerships",
    "schemes",
    "home",
    "api",
    "demo",
    "bench",
    "config",
]
BANDIT = Path(sys.executable).parent / "bandit"


def run_bandit() -> dict:
    command = [str(BANDIT), "-r", *PACKAGES, "-q", "-f", "json", "-x", "*/migrations/*"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)  # noqa: S603
    # bandit exits 1 when it reports anything at all (LOW included); only a crash is worse.
    assert result.returncode in (0, 1), f"bandit failed ({result.returncode}):\n{result.stderr}"
    return json.loads(result.stdout)


def test_bandit_finds_no_high_severity_issue():
    report = run_bandit()
    findings = report["results"]
    by_severity = Counter(f["issue_severity"] for f in findings)
    print(
        f"\nbandit: {len(findings)} findings in {', '.join(PACKAGES)} "
        f"({report['metrics']['_totals']['loc']} lines): "
        + ", ".join(f"{sev} {by_severity.get(sev, 0)}" for sev in ("HIGH", "MEDIUM", "LOW"))
        + " | by test: "
        + ", ".join(f"{tid} {n}" for tid, n in sorted(Counter(f["test_id"] for f in findings).items()))
    )
    # A file bandit could not parse was not scanned at all.
    assert not report["errors"], f"bandit could not scan: {report['errors']}"
    high = [
        f"{f['filename']}:{f['line_number']} {f['test_id']} {f['test_name']}: {f['issue_text']}"
        for f in findings
        if f["issue_severity"] == "HIGH"
    ]
    assert not high, "bandit HIGH severity findings:\n" + "\n".join(high)
