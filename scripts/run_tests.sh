#!/usr/bin/env bash
# The tests: set up from nothing, then run tests/ (TensorFlow-free) and parity/ (against tf.keras).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh tests,examples
exec "${KERASCOMPAT_VENV:-.venv}/bin/python" -m pytest tests parity -q "$@"
