#!/bin/sh
# Install the Debian packages Fieldgate needs, only when something is missing.
#
#   scripts/system-deps.sh run    WeasyPrint libraries + fonts (make run)
#   scripts/system-deps.sh test   everything make test needs
#   scripts/system-deps.sh bench  that and the load generator (make bench)
set -eu

# WeasyPrint's shared libraries and the fonts the PDFs are rendered with.
RUN_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation"
# Test harness services, browser tests (Playwright drives Debian's chromium), PDF text checks.
TEST_PACKAGES="$RUN_PACKAGES redis-server chromium poppler-utils"
# make bench loads the app with wrk (HTTP load generator, scripted in Lua: scripts/bench_wrk.lua).
BENCH_PACKAGES="$TEST_PACKAGES wrk"
# PostgreSQL 15 server binaries used by scripts/harness.py.
PG_BIN_POSTGRES=/usr/lib/postgresql/15/bin/postgres
PG_PACKAGE=postgresql

profile=${1:-test}
case "$profile" in
    run) wanted=$RUN_PACKAGES ;;
    test) wanted=$TEST_PACKAGES ;;
    bench) wanted=$BENCH_PACKAGES ;;
    *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=""
for pkg in $wanted; do
    is_installed "$pkg" || missing="$missing $pkg"
done
if [ "$profile" != run ] && [ ! -x "$PG_BIN_POSTGRES" ]; then
    missing="$missing $PG_PACKAGE"
fi

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "system-deps: missing Debian packages:$missing" >&2
    echo "system-deps: not root and no sudo; install them and re-run." >&2
    exit 1
fi

echo "system-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
