"""`summary()` reports the same parameter counts as tf.keras for every whole-model case."""

import re

import numpy as np
import pytest

import kerascompat
from cases import CASES
from harness import TF_KERAS

MODEL_CASES = [c for c in CASES if c.build is not None]


def _counts(text):
    return [int(re.search(rf"{label} params: ([\d,]+)", text).group(1).replace(",", ""))
            for label in ("Total", "Trainable", "Non-trainable")]


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: c.id)
def test_summary_counts_match_tf(case):
    theirs = case.build(TF_KERAS)
    ours = case.build(kerascompat)
    shapes = case.input_shapes if isinstance(case.input_shapes, list) else [case.input_shapes]
    feed = [np.zeros(s, "float32") for s in shapes]
    theirs(feed if len(feed) > 1 else feed[0])
    ours(feed if len(feed) > 1 else feed[0])
    tf_lines, our_lines = [], []
    theirs.summary(print_fn=tf_lines.append)
    ours.summary(print_fn=our_lines.append)
    assert _counts("\n".join(our_lines)) == _counts("\n".join(tf_lines))
    assert ours.count_params() == theirs.count_params()
