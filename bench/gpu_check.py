"""On a CUDA machine: check that recurrent layers run cuDNN's fused kernels, that a channels_last
conv stack runs without layout-conversion kernels, and that GPU results match the CPU's.

    python bench/gpu_check.py
"""

import os
import sys

import torch
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import kerascompat as keras  # noqa: E402
from kerascompat import layers  # noqa: E402


def kernel_names(fn):
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        fn()
        torch.cuda.synchronize()
    return sorted({e.name for e in prof.events() if e.device_type.name == "CUDA"})


def train_once(model, x):
    out = model(x)
    out = out[0] if isinstance(out, (list, tuple)) else out
    (out * torch.randn_like(out)).sum().backward()


def check_rnn(make, x_shape):
    torch.manual_seed(0)
    cpu = make()
    x = torch.randn(x_shape)
    cpu(x)
    gpu = make()
    gpu(x)
    gpu.set_weights(cpu.get_weights())
    gpu = gpu.cuda()
    xg = x.cuda()
    names = kernel_names(lambda: train_once(gpu, xg))
    rnn_kernels = [n for n in names if "rnn" in n.lower() or "lstm" in n.lower() or "gru" in n.lower()
                   or "cudnn" in n.lower()]
    path = getattr(gpu, "last_path", None)
    diff = (gpu(xg)[0] if gpu.return_state else gpu(xg)).cpu() - (cpu(x)[0] if cpu.return_state else cpu(x))
    print(f"{type(cpu).__name__:14s} path={path} cuDNN/RNN kernels={len(rnn_kernels)} "
          f"e.g. {rnn_kernels[:2]}  max |gpu - cpu| = {diff.abs().max().item():.2e}")
    return bool(rnn_kernels)


def check_convnet():
    torch.manual_seed(0)
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                              layers.MaxPooling2D(), layers.Conv2D(64, 3, padding="same", activation="relu"),
                              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10)])
    x = torch.randn(128, 28, 28, 1)
    ref = model(x)
    model = model.cuda()
    xg = x.cuda()
    names = kernel_names(lambda: train_once(model, xg))
    layout = [n for n in names if "nchwtonhwc" in n.lower().replace("_", "") or "nhwctonchw" in n.lower().replace("_", "")
              or "transpose" in n.lower()]
    torch.backends.cudnn.allow_tf32 = False
    diff = (model(xg).cpu() - ref).abs().max().item()
    print(f"convnet channels_last: {len(names)} kernels, layout-conversion kernels: {layout or 'none'}; "
          f"max |gpu - cpu| (no TF32) = {diff:.2e}")
    print("  conv kernels:", [n for n in names if "conv" in n.lower() or "xmma" in n.lower() or "sm90" in n.lower()][:4])
    return not layout


def check_fit():
    import numpy as np

    torch.manual_seed(0)
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(8, 3, activation="relu"), layers.Flatten(),
                              layers.Dense(3, activation="softmax")]).to("cuda")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 8, 8, 1)).astype("float32")
    y = (x[:, :4].sum(axis=(1, 2, 3)) > 0).astype("int64") + (x[:, 4:].sum(axis=(1, 2, 3)) > 0)
    history = model.fit(x, y, epochs=5, verbose=0)
    pred = model.predict(x[:4], verbose=0)
    on_gpu = all(p.is_cuda for p in model.parameters())
    ok = on_gpu and history.history["loss"][-1] < history.history["loss"][0] and pred.shape == (4, 3)
    print(f"fit on cuda: params on GPU={on_gpu}, loss {history.history['loss'][0]:.3f} -> "
          f"{history.history['loss'][-1]:.3f}, accuracy {history.history['accuracy'][-1]:.3f}")
    return ok


def main():
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name()}, cuDNN {torch.backends.cudnn.version()}")
    ok = True
    ok &= check_rnn(lambda: layers.LSTM(64, return_sequences=True), (32, 100, 16))
    ok &= check_rnn(lambda: layers.GRU(64), (32, 100, 16))
    ok &= check_rnn(lambda: layers.SimpleRNN(32), (32, 50, 16))
    bi = check_rnn(lambda: layers.Bidirectional(layers.LSTM(32, return_sequences=True)), (16, 40, 8))
    ok &= bi
    ok &= check_convnet()
    ok &= check_fit()
    print("ALL GPU CHECKS PASSED" if ok else "SOME GPU CHECKS FAILED")


if __name__ == "__main__":
    main()
