"""DistributedDataParallel over two CPU processes (gloo on loopback), bounded in time."""

import os
import socket
import subprocess
import sys

import numpy as np


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ddp_two_processes_match_single_process(tmp_path):
    worker = os.path.join(os.path.dirname(__file__), "ddp_worker.py")
    proc = subprocess.run([sys.executable, worker, str(tmp_path), str(_free_port())], capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rank0, rank1, single = (np.load(tmp_path / f"{n}.npz") for n in ("rank0", "rank1", "single"))
    assert len(rank0.files) == 4
    for key in rank0.files:
        np.testing.assert_array_equal(rank0[key], rank1[key])               # ranks agree exactly
        np.testing.assert_allclose(rank0[key], single[key], rtol=1e-5, atol=1e-6)  # and equal one-process training
