"""Two-process DistributedDataParallel training of a kerascompat model on the CPU (gloo, loopback).

Run by tests/test_distributed.py: `python tests/ddp_worker.py OUT_DIR PORT`. Each rank trains
the same model on its half of every global batch; DDP averages the gradients. Each rank
writes its final Keras weights; the test compares them with single-process training.
"""

import gc
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kerascompat as keras  # noqa: E402

STEPS, GLOBAL_BATCH = 5, 16


def build():
    torch.manual_seed(0)
    return keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(3)])


def dataset():
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((STEPS * GLOBAL_BATCH, 6)).astype("float32"))
    y = torch.from_numpy(rng.integers(0, 3, STEPS * GLOBAL_BATCH))
    return x, y


def train(model, x, y, rank=0, world=1):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(STEPS):
        batch = slice(step * GLOBAL_BATCH, (step + 1) * GLOBAL_BATCH)
        xb, yb = x[batch], y[batch]
        local = slice(rank * GLOBAL_BATCH // world, (rank + 1) * GLOBAL_BATCH // world)
        loss = F.cross_entropy(model(xb[local]), yb[local])
        opt.zero_grad()
        loss.backward()
        opt.step()


def worker(rank, world, out_dir, port):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        model = build()
        ddp = torch.nn.parallel.DistributedDataParallel(model)
        x, y = dataset()
        train(ddp, x, y, rank, world)
        np.savez(os.path.join(out_dir, f"rank{rank}.npz"), *model.get_weights())
        # Tear down in order: both ranks are done with the group before either closes its gloo
        # connections, and the DDP reducer (held by autograd hooks on the model's parameters, so
        # the model must go too) is freed before its process group; a reducer left for interpreter
        # exit can abort the process ("terminate called without an active exception").
        dist.barrier()
        del ddp, model
        gc.collect()
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    out_dir, port = sys.argv[1], int(sys.argv[2])
    mp.spawn(worker, args=(2, out_dir, port), nprocs=2, join=True)
    single = build()
    train(single, *dataset())
    np.savez(os.path.join(out_dir, "single.npz"), *single.get_weights())
