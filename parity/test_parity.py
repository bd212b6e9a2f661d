"""pytest entry of the TensorFlow parity table (see harness.py for what each case checks)."""

import pytest
import torch

from cases import CASES
from harness import run_case


def _param(case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_parity(case):
    torch.manual_seed(0)
    run_case(case)
