"""Two-process BatchNormalization(synchronized=True) on the CPU (gloo, loopback).

Run by tests/test_sync_batchnorm.py: `python tests/sync_bn_worker.py OUT_DIR PORT`. Each rank
runs training steps on its half of every global batch; it writes its outputs, input gradients,
all-reduced weight gradients and final weights, which the test compares with one process
running the same layer (not synchronized) on the whole batch.
"""

import os
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kerascompat as keras  # noqa: E402

STEPS, GLOBAL_BATCH, SHAPE = 3, 8, (3, 4)


def data():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((STEPS, GLOBAL_BATCH) + SHAPE) * 2 + 1).astype("float32")
    r = rng.standard_normal((STEPS, GLOBAL_BATCH) + SHAPE).astype("float32")
    return torch.from_numpy(x), torch.from_numpy(r)


def run(synchronized, rank=0, world=1):
    bn = keras.layers.BatchNormalization(momentum=0.5, synchronized=synchronized, renorm=False)
    local = slice(rank * GLOBAL_BATCH // world, (rank + 1) * GLOBAL_BATCH // world)
    x_all, r_all = data()
    bn(x_all[0, local], training=False)
    bn.set_weights([np.full(4, 1.5, "float32"), np.full(4, 0.2, "float32"), np.zeros(4, "float32"),
                    np.ones(4, "float32")])
    record = {}
    for step in range(STEPS):
        x = x_all[step, local].clone().requires_grad_(True)
        out = bn(x, training=True)
        (out * r_all[step, local]).sum().backward()
        grads = [p.grad.clone() for p in bn.trainable_weights]
        if world > 1:
            for g in grads:
                dist.all_reduce(g)
        record[f"out{step}"] = out.detach().numpy()
        record[f"dx{step}"] = x.grad.numpy()
        for i, g in enumerate(grads):
            record[f"dw{step}_{i}"] = g.numpy()
        with torch.no_grad():
            for p, g in zip(bn.trainable_weights, grads):
                p -= 0.1 * g
                p.grad = None
    for i, w in enumerate(bn.get_weights()):
        record[f"w{i}"] = w
    return record


def worker(rank, world, out_dir, port):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        np.savez(os.path.join(out_dir, f"rank{rank}.npz"), **run(True, rank, world))
    finally:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    out_dir, port = sys.argv[1], int(sys.argv[2])
    mp.spawn(worker, args=(2, out_dir, port), nprocs=2, join=True)
    np.savez(os.path.join(out_dir, "single.npz"), **run(False))
