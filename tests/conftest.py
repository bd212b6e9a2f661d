import pytest
import torch

import kerascompat


@pytest.fixture(autouse=True)
def _fresh_names():
    kerascompat.backend.clear_session()
    torch.manual_seed(0)
    yield
