#!/usr/bin/env bash
# Create the virtual environment (.venv) and install kerascompat with the given extras,
# pinned by constraints.txt. Re-running is cheap: it reinstalls only when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-tests,examples}"
VENV="${KERASCOMPAT_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 10):
    sys.exit(f"kerascompat needs Python >= 3.10; found {sys.version.split()[0]}")
PY
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.kerascompat-$(cat constraints.txt pyproject.toml | sha1sum | cut -c1-12)-${EXTRAS//,/_}"
if [ ! -f "$stamp" ]; then
  echo "setup: installing kerascompat[$EXTRAS] with pinned versions (constraints.txt)"
  log="$(mktemp)"
  if ! "$VENV/bin/pip" install --disable-pip-version-check -c constraints.txt -e ".[$EXTRAS]" >"$log" 2>&1; then
    grep -v "is neither a file nor a directory" "$log" | tail -40
    echo "setup: pip install failed" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi
