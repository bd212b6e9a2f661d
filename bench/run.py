"""Benchmark: kerascompat vs hand-written torch (interleaved in one process), tf.keras and Keras 3
with the torch backend (each in its own process), with medians, ratios and peak memory.

    python bench/run.py                       # every model, CPU
    python bench/run.py --models convnet --repeats 30 --compile
    python bench/run.py --device cuda         # where a GPU exists
    python bench/run.py --fit --threads 1     # model.fit vs the same hand-written torch loop

Times are medians of single steps; a ratio is the median of per-pair ratios of steps run
back to back (A B A B ...), which cancels most of a shared machine's noise.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONV_MODELS = ("convnet", "conv3d", "pooling", "resnet_bn", "mobilenet")
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))  # time the kerascompat of this checkout, not an installed one

from models import SPECS, TOKEN_MODELS, build_keras, build_torch, make_tokens, torch_input  # noqa: E402


def _sync(device):
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def make_data(name, device, seed=0):
    import torch

    shape, batch, classes = SPECS[name]
    g = torch.Generator().manual_seed(seed)
    x = torch.randn((batch, *shape), generator=g).to(device)
    if name in TOKEN_MODELS:
        x = make_tokens(batch, shape[0], TOKEN_MODELS[name], g).to(device)
    y = torch.randint(0, classes, (batch,), generator=g).to(device)
    return x, y


def torch_steps(model, device, lr=0.01):
    import torch
    import torch.nn.functional as F

    opt = torch.optim.SGD(model.parameters(), lr=lr)

    def train(x, y):  # the caller sets model.train() once, outside the timed steps
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    def infer(x):  # the caller sets model.eval() once, outside the timed steps
        with torch.no_grad():
            model(x)

    return train, infer


def timed(fn, device, clock=time.perf_counter):
    _sync(device)
    start = clock()
    fn()
    _sync(device)
    return clock() - start


def interleaved(variants, repeats, warmup, device, clock=time.perf_counter):
    """variants: {label: fn}. Returns {label: [seconds]} with the runs interleaved."""
    for fn in variants.values():
        for _ in range(warmup):
            fn()
    times = {label: [] for label in variants}
    for _ in range(repeats):
        for label, fn in variants.items():
            times[label].append(timed(fn, device, clock))
    return times


def pair_ratio(a, b):
    return statistics.median(x / y for x, y in zip(a, b))


def bench_in_process(name, repeats, warmup, device, compile_):
    """kerascompat and hand-written torch (NCHW and channels_last) interleaved."""
    import torch

    import kerascompat

    torch.manual_seed(0)
    x, y = make_data(name, device)
    kc = build_keras(name, kerascompat).to(device)
    models = [kc]
    variants_train, variants_infer = {}, {}
    kc_train, kc_infer = torch_steps(kc, device)
    variants_train["kerascompat"] = lambda: kc_train(x, y)
    variants_infer["kerascompat"] = lambda: kc_infer(x)
    layouts = [("torch", False), ("torch_channels_last", True)] if name in CONV_MODELS else [("torch", False)]
    for label, cl in layouts:
        ref = build_torch(name, cl).to(device)
        models.append(ref)
        xt = torch_input(name, x, cl)
        tr, inf = torch_steps(ref, device)
        variants_train[label] = (lambda tr=tr, xt=xt: tr(xt, y))
        variants_infer[label] = (lambda inf=inf, xt=xt: inf(xt))
    if compile_:
        compiled = torch.compile(build_keras(name, kerascompat).to(device))
        models.append(compiled)
        ctr, cinf = torch_steps(compiled, device)
        variants_train["kerascompat_compiled"] = lambda: ctr(x, y)
        variants_infer["kerascompat_compiled"] = lambda: cinf(x)
    for m in models:
        m.train()
    train = interleaved(variants_train, repeats, warmup, device)
    for m in models:
        m.eval()
    infer = interleaved(variants_infer, repeats, warmup, device)
    result = {}
    for kind, times in (("train", train), ("infer", infer)):
        for label, ts in times.items():
            result[f"{label}.{kind}_ms"] = statistics.median(ts) * 1e3
            result[f"{label}.{kind}_ratio"] = pair_ratio(ts, times["torch"])
        if "torch_channels_last" in times:
            result[f"kerascompat.{kind}_ratio_cl"] = pair_ratio(times["kerascompat"], times["torch_channels_last"])
    return result


# ------------------------------------------------------------------ fit vs a torch loop
FIT_MODELS = ("mlp11", "convnet")


def build_fit_model(name, K):
    """`mlp11`: 11 Dense layers at batch 32; `convnet`: the convnet above at its batch size."""
    if name == "mlp11":
        layers = [K.layers.Dense(128, activation="relu") for _ in range(10)] + [K.layers.Dense(10)]
        return K.Sequential([K.Input(shape=(64,))] + layers), (64,), 32, 10
    shape, batch, classes = SPECS[name]
    return build_keras(name, K), shape, batch, classes


FIT_STEPS = {"mlp11": 64, "convnet": 8}  # steps per timed epoch


def bench_fit(name, repeats, warmup, device):
    """One epoch of `model.fit` vs the same epoch as a hand-written torch loop (shuffled
    batches of the same tensors, zero_grad / loss / backward / SGD step) on the same model,
    interleaved; per-step times and the median of per-pair ratios."""
    import torch
    import torch.nn.functional as F

    import kerascompat

    torch.manual_seed(0)
    model, shape, batch, classes = build_fit_model(name, kerascompat)
    model = model.to(device)
    steps = FIT_STEPS[name]
    n = batch * steps
    x = torch.randn((n, *shape), device=device)
    y = torch.randint(0, classes, (n,), device=device)
    model.compile(optimizer=torch.optim.SGD(model.parameters(), lr=0.01),
                  loss=kerascompat.losses.SparseCategoricalCrossentropy(from_logits=True))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def torch_epoch():
        model.train()
        order = torch.randperm(n, device=device)
        for start in range(0, n, batch):
            index = order[start:start + batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[index]), y[index])
            loss.backward()
            opt.step()

    def fit_epoch():
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=True)

    # On one CPU thread, the thread's CPU time: the same work, without the time a shared machine
    # spends running other processes (wall-clock time otherwise).
    thread_clock = device == "cpu" and torch.get_num_threads() == 1
    times = interleaved({"fit": fit_epoch, "torch_loop": torch_epoch}, repeats, warmup, device,
                        time.thread_time if thread_clock else time.perf_counter)
    return {"fit.step_ms": statistics.median(times["fit"]) * 1e3 / steps,
            "torch_loop.step_ms": statistics.median(times["torch_loop"]) * 1e3 / steps,
            "fit.ratio": pair_ratio(times["fit"], times["torch_loop"]),
            "clock": "thread CPU time" if thread_clock else "wall clock"}


# ------------------------------------------------------------------ other frameworks
def _median_ms(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn, "cpu") for _ in range(repeats)) * 1e3


def bench_tf(name, repeats, warmup):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf

    shape, batch, classes = SPECS[name]
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((batch, *shape)).astype("float32"))
    if name in TOKEN_MODELS:
        import torch

        x = tf.constant(make_tokens(batch, shape[0], TOKEN_MODELS[name], torch.Generator().manual_seed(0)).numpy())
    y = tf.constant(rng.integers(0, classes, batch))
    model = build_keras(name, tf.keras)
    opt = tf.keras.optimizers.SGD(0.01)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def train():
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))

    @tf.function
    def infer():
        return model(x, training=False)

    return {f"tf_keras.{kind}_ms": _median_ms(fn, repeats, warmup) for kind, fn in (("train", train), ("infer", infer))}


def bench_keras_torch(name, repeats, warmup):
    os.environ["KERAS_BACKEND"] = "torch"
    import keras

    assert keras.backend.backend() == "torch"
    x, y = make_data(name, "cpu")
    model = build_keras(name, keras)
    train, infer = torch_steps(model, "cpu")
    model.train()
    out = {"keras_torch.train_ms": _median_ms(lambda: train(x, y), repeats, warmup)}
    model.eval()
    out["keras_torch.infer_ms"] = _median_ms(lambda: infer(x), repeats, warmup)
    return out


def peak_memory_probe(name, variant, device, steps=3):
    """Memory of training steps of one variant, run alone in this process.

    CUDA: the peak of torch's allocator during the steps. CPU: the bytes of the distinct
    tensor storages autograd saves for the backward pass (the activation memory, which is
    where implementations differ; process RSS on a shared CPU machine is too noisy).
    """
    import torch
    import torch.nn.functional as F

    import kerascompat

    torch.manual_seed(0)
    x, y = make_data(name, device)
    if variant == "kerascompat":
        model = build_keras(name, kerascompat).to(device)
        xin = x
    else:
        model = build_torch(name, variant == "torch_channels_last").to(device)
        xin = torch_input(name, x, variant == "torch_channels_last")
    model.train()
    train, _ = torch_steps(model, device)
    train(xin, y)  # first step allocates gradients
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        for _ in range(steps):
            train(xin, y)
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    storages = {}

    def pack(t):
        storage = t.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return t

    model.train()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = F.cross_entropy(model(xin), y)
    loss.backward()
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    return sum(n for ptr, n in storages.items() if ptr not in params) / 2**20


def _subprocess_json(args, env=None):
    cmd = [sys.executable, os.path.abspath(__file__)] + args
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=1800)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _available(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(SPECS))
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--compile", action="store_true", help="also time torch.compile(kerascompat model)")
    parser.add_argument("--no-external", action="store_true", help="skip tf.keras and Keras 3 (torch backend)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--fit", action="store_true",
                        help="only the fit rows: model.fit vs a hand-written torch loop (" + ", ".join(FIT_MODELS) + ")")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads before timing")
    parser.add_argument("--_probe", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_framework", help=argparse.SUPPRESS)
    args = parser.parse_args()
    models = args.models.split(",")

    if args._probe:
        print(json.dumps({"peak_mb": peak_memory_probe(args._probe[0], args._probe[1], args.device)}))
        return
    if args._framework == "tf":
        print(json.dumps(bench_tf(models[0], args.repeats, args.warmup)))
        return
    if args._framework == "keras_torch":
        print(json.dumps(bench_keras_torch(models[0], args.repeats, args.warmup)))
        return

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}, "
          f"repeats {args.repeats}", flush=True)
    results = {}
    if args.fit:
        print("| model | fit ms/step | torch loop ms/step | fit/torch |\n|---|---|---|---|")
        for name in FIT_MODELS:
            r = bench_fit(name, args.repeats, args.warmup, args.device)
            results[f"fit_{name}"] = r
            print(f"| {name} | {r['fit.step_ms']:.3f} | {r['torch_loop.step_ms']:.3f} | {r['fit.ratio']:.3f} |"
                  f" ({r['clock']})", flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
        return
    for name in models:
        r = bench_in_process(name, args.repeats, args.warmup, args.device, args.compile)
        variants = ["kerascompat", "torch"] + (["torch_channels_last"] if name in CONV_MODELS else [])
        for v in variants:
            r[f"{v}.peak_mb"] = _subprocess_json(["--models", name, "--device", args.device, "--_probe", name, v]
                                                 ).get("peak_mb")
        if not args.no_external and args.device == "cpu":
            ext_args = ["--models", name, "--repeats", str(args.repeats), "--warmup", str(args.warmup)]
            if _available("tensorflow"):
                r.update(_subprocess_json(ext_args + ["--_framework", "tf"]))
            if _available("keras"):
                r.update(_subprocess_json(ext_args + ["--_framework", "keras_torch"], env={"KERAS_BACKEND": "torch"}))
        r["device"] = args.device
        results[name] = r
        print_table({name: r}, header=(name == models[0]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


def _fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results, header=True):
    cols = ["model", "step", "kerascompat ms", "torch ms", "kc/torch", "torch CL ms", "kc/torch CL",
            "compiled ms", "compiled/torch", "tf.keras ms", "tf/torch", "keras-torch ms", "keras-torch/torch"]
    if header:
        print("| " + " | ".join(cols) + " |")
        print("|" + "|".join("---" for _ in cols) + "|")
    for name, r in results.items():
        for kind in ("train", "infer"):
            torch_ms = r.get(f"torch.{kind}_ms")
            cl = r.get(f"torch_channels_last.{kind}_ms")
            tf_ms = r.get(f"tf_keras.{kind}_ms")
            kt_ms = r.get(f"keras_torch.{kind}_ms")
            row = [name, kind, _fmt(r.get(f"kerascompat.{kind}_ms")), _fmt(torch_ms),
                   _fmt(r.get(f"kerascompat.{kind}_ratio"), 3), _fmt(cl),
                   _fmt(r.get(f"kerascompat.{kind}_ratio_cl"), 3),
                   _fmt(r.get(f"kerascompat_compiled.{kind}_ms")), _fmt(r.get(f"kerascompat_compiled.{kind}_ratio"), 3),
                   _fmt(tf_ms), _fmt(None if tf_ms is None else tf_ms / torch_ms, 3),
                   _fmt(kt_ms), _fmt(None if kt_ms is None else kt_ms / torch_ms, 3)]
            print("| " + " | ".join(row) + " |")
        mem = [f"{v} {_fmt(r.get(f'{v}.peak_mb'), 1)} MB" for v in ("kerascompat", "torch", "torch_channels_last")
               if r.get(f"{v}.peak_mb") is not None]
        what = "peak memory (train)" if r.get("device") == "cuda" else "saved activations (train)"
        print(f"| {name} | {what} | " + ", ".join(mem) + " |" + " |" * (len(cols) - 3))
        if "error" in r:
            print(f"  (external framework: {r['error']})")


if __name__ == "__main__":
    main()
