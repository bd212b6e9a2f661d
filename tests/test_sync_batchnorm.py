"""BatchNormalization(synchronized=True) over two CPU processes equals one process on the whole batch."""

import os
import socket
import subprocess
import sys

import numpy as np
import torch

from kerascompat import layers


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_synchronized_batchnorm_two_processes_match_the_global_batch(tmp_path):
    worker = os.path.join(os.path.dirname(__file__), "sync_bn_worker.py")
    proc = subprocess.run([sys.executable, worker, str(tmp_path), str(_free_port())], capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-4000:]
    rank0, rank1, single = (np.load(tmp_path / f"{n}.npz") for n in ("rank0", "rank1", "single"))
    half = single["out0"].shape[0] // 2
    for key in single.files:
        if key.startswith(("out", "dx")):  # per-sample: each rank holds its half of the batch
            np.testing.assert_allclose(rank0[key], single[key][:half], rtol=1e-5, atol=1e-5, err_msg=key)
            np.testing.assert_allclose(rank1[key], single[key][half:], rtol=1e-5, atol=1e-5, err_msg=key)
        else:  # weight gradients (all-reduced) and the weights and moving statistics at the end
            np.testing.assert_allclose(rank0[key], single[key], rtol=1e-5, atol=1e-5, err_msg=key)
            np.testing.assert_allclose(rank1[key], single[key], rtol=1e-5, atol=1e-5, err_msg=key)
    # Not vacuous: the halves' own statistics differ from the global batch's.
    x = np.concatenate([rank0["out0"], rank1["out0"]])
    assert not np.allclose(rank0["out0"].mean(axis=(0, 1)), x.mean(axis=(0, 1)), atol=1e-3)


def test_synchronized_without_a_process_group_uses_the_local_batch():
    x = torch.randn(6, 3) * 2 + 1
    sync = layers.BatchNormalization(synchronized=True, momentum=0.0)
    plain = layers.BatchNormalization(momentum=0.0)
    torch.testing.assert_close(sync(x, training=True), plain(x, training=True))
    torch.testing.assert_close(sync.moving_variance.detach(), x.var(0, unbiased=False))
    assert sync.get_config()["synchronized"] is True
