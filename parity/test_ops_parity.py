"""keras.ops against tf.keras.ops, one declarative table per family (ops_cases_<family>.py):
values, shapes, Keras dtype names and gradients."""

import importlib

import pytest

from ops_harness import run_op_case

FAMILIES = ["nn", "core", "math", "linalg", "image"]


def _params():
    for family in FAMILIES:
        for case in importlib.import_module(f"ops_cases_{family}").CASES:
            marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
            yield pytest.param(case, id=f"{family}-{case.id}", marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_op_matches_tf(case):
    run_op_case(case)
