#!/usr/bin/env bash
# The main job: set up from nothing, train the digits classifier with a torch optimizer,
# and compare its predictions with tf.keras given the same weights.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh tests,examples
exec "${KERASCOMPAT_VENV:-.venv}/bin/python" examples/digits_classifier.py
