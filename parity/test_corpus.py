"""Real Keras programs (keras.io examples) on tf.keras and on kerascompat.

Each module in parity/corpus/ builds one keras.io example's model from the `keras` module it is given
(`build(keras)`), so the same program text runs once with `tensorflow.keras` and once with `kerascompat`.
For each program:
  1. build it with tf.keras, run it on the module's inputs (inference mode), perturb the 1-D float
     weights (biases, BatchNormalization parameters and moving statistics) so they are not trivial;
  2. build it with kerascompat, run it once, `set_weights(tf_model.get_weights())`;
  3. compare the outputs on the same inputs (`training=False`):
     |ours - tf| <= 1e-4 * max(1, max|tf|) + 1e-4 * |tf|,
     and the example's compiled loss on those outputs (kerascompat's loss against tf.keras's);
  4. one training step on ours with torch: the example's loss (what it compiles with, or its own
     train_step / add_loss loss), backward, `torch.optim.SGD`; the loss is finite and the trainable
     weights change (and stay finite).

A program that does not run on kerascompat today stays in the table with the exact first failure on
our side, "ExceptionType: first line of the message" (a prefix of it is enough, e.g. for numeric
mismatches whose numbers would churn). The test checks that the failure is still that one: when a
feature lands and the program gets further, the test fails with the new first failure (or XPASSes
strictly), so the table is updated with the code. Failures on the TensorFlow side are never expected.
"""

import importlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if __name__ == "__main__":
    # Run as a script (`python parity/test_corpus.py`), the checkout's kerascompat must win over an installed one.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
import torch  # noqa: E402

import kerascompat  # noqa: E402
from harness import assert_close  # noqa: E402

TF_KERAS = tf.keras
RTOL = ATOL = 1e-4

# The corpus: module in parity/corpus/ -> None (runs and matches tf.keras) or the first failure on
# kerascompat ("ExceptionType: message", or a prefix of it). Keep README.md's table in step with this one.
CORPUS = {
    "mnist_convnet": None,
    "timeseries_classification_from_scratch": None,
    "text_classification_with_transformer": None,
    "bidirectional_lstm_imdb": None,
    "pixelcnn": None,
    "image_classification_from_scratch": None,
    "denoising_autoencoder": None,
    "vae": None,
    "dcgan_overriding_train_step": None,
    "oxford_pets_image_segmentation": None,
    "siamese_contrastive": None,
    "ner_transformers": None,
    "timeseries_weather_forecasting": None,
    "structured_data_classification_from_scratch":
        "AttributeError: module 'kerascompat.layers' has no attribute 'StringLookup'",
    "lstm_character_level_text_generation": None,
    "captcha_ocr": None,
    "conv_lstm": None,
    "mlp_image_classification": None,
    "image_classification_with_vision_transformer": None,
    "convmixer": None,
    "image_classification_3d": None,
    "super_resolution_sub_pixel": None,
    "timeseries_anomaly_detection": None,
    "addition_rnn": None,
    "lstm_seq2seq": None,
    "pretrained_word_embeddings": None,
    "speaker_recognition_using_cnn": None,
    "timeseries_classification_transformer": None,
    "actor_critic_cartpole": None,
    "video_classification": None,
    "knowledge_distillation": None,
}

# Weights whose values are free parameters (perturbed so zero biases and unit/zero statistics do not hide
# a wrong mapping). Adapted preprocessing state (Normalization's mean/variance) is left alone.
_PERTURBED = ("bias", "beta", "gamma", "moving_mean", "moving_variance")


class CorpusFailure(Exception):
    """The program failed on kerascompat exactly as the table says."""


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip()


def _map(fn, data):
    if isinstance(data, dict):
        return {k: _map(fn, v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_map(fn, v) for v in data)
    return fn(data)


def _flat(out):
    if isinstance(out, dict):
        return [o for k in sorted(out) for o in _flat(out[k])]
    if isinstance(out, (list, tuple)):
        return [o for item in out for o in _flat(item)]
    return [out]


def _to_tf(a):
    return tf.constant(a) if isinstance(a, np.ndarray) else a


def _to_torch(a):
    # Strings stay numpy arrays: torch has no string tensors; a Keras program passes them as they come.
    if isinstance(a, np.ndarray) and a.dtype.kind in "biuf":
        return torch.from_numpy(np.ascontiguousarray(a))
    return a


def _numpy(t):
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return np.asarray(t)


def _outputs(module, model, x):
    if hasattr(module, "outputs"):
        return module.outputs(model, x)
    return model(x, training=False)


def _perturbed_weights(tf_model, rng):
    weights = []
    for var in tf_model.weights:
        value = np.asarray(var.numpy())
        name = var.name.split("/")[-1].split(":")[0]
        if value.ndim == 1 and value.dtype.kind == "f" and name in _PERTURBED:
            value = value + (0.1 * rng.random(value.shape)).astype(value.dtype)
        weights.append(value)
    return weights


def _training_loss(module, keras, model, x, y):
    """The example's training loss: its own (train_step / add_loss) or its compiled loss on the outputs."""
    if hasattr(module, "train_loss"):
        return module.train_loss(keras, model, x, y)
    loss_fn = module.loss(keras)
    value = loss_fn(y, model(x, training=True))
    if isinstance(value, torch.Tensor):
        return value.mean()
    return tf.reduce_mean(value)


def _compiled_loss_on_outputs(module, keras, y, out):
    """The example's compiled loss on given outputs, reduced as `fit` reports it (None without one)."""
    if y is None or hasattr(module, "train_loss") or hasattr(module, "outputs"):
        return None
    value = module.loss(keras)(y, out)
    return float(value.mean()) if isinstance(value, torch.Tensor) else float(tf.reduce_mean(value))


def _run_ours(module, x_np, y_np, tf_flat, tf_weights, tf_eval_loss):
    torch.manual_seed(0)
    ours = module.build(kerascompat)
    x = _map(_to_torch, x_np)
    ours.eval()
    with torch.no_grad():
        _outputs(module, ours, x)  # builds the weights of lazily built layers
    ours.set_weights(tf_weights)
    with torch.no_grad():
        our_flat = _flat(_outputs(module, ours, x))
    if len(our_flat) != len(tf_flat):
        raise AssertionError(f"number of outputs: {len(our_flat)} != TensorFlow's {len(tf_flat)}")
    for i, (o, t) in enumerate(zip(our_flat, tf_flat)):
        assert_close(_numpy(o), t, RTOL, ATOL, f"output {i}")
    if tf_eval_loss is not None:
        with torch.no_grad():
            our_eval_loss = _compiled_loss_on_outputs(module, kerascompat, _map(_to_torch, y_np),
                                                      _outputs(module, ours, x))
        assert_close(our_eval_loss, tf_eval_loss, RTOL, ATOL, "the example's loss on the inference outputs")

    # One training step with torch on the example's loss.
    ours.train()
    trainable = list(ours.trainable_weights)
    before = [p.detach().clone() for p in trainable]
    y = None if y_np is None else _map(_to_torch, y_np)
    loss = _training_loss(module, kerascompat, ours, x, y)
    if not torch.isfinite(loss):
        raise AssertionError(f"training loss is not finite: {loss}")
    optimizer = torch.optim.SGD(trainable, lr=0.01)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    changed = sum(not torch.equal(b, p.detach()) for b, p in zip(before, trainable))
    if changed == 0:
        raise AssertionError("one SGD step changed no trainable weight")
    if not all(torch.isfinite(p).all() for p in trainable):
        raise AssertionError("a trainable weight is not finite after one SGD step")


def run_program(name, expected_failure):
    module = importlib.import_module(f"corpus.{name}")
    rng = np.random.default_rng(0)
    x_np = module.inputs(rng)
    y_np = module.targets(rng)

    tf.keras.utils.set_random_seed(0)
    tf_model = module.build(TF_KERAS)
    x_tf = _map(_to_tf, x_np)
    _outputs(module, tf_model, x_tf)
    tf_model.set_weights(_perturbed_weights(tf_model, rng))
    tf_flat = [np.asarray(o) for o in _flat(_outputs(module, tf_model, x_tf))]
    tf_weights = tf_model.get_weights()
    tf_eval_loss = _compiled_loss_on_outputs(module, TF_KERAS, None if y_np is None else _map(_to_tf, y_np),
                                             _outputs(module, tf_model, x_tf))
    # The corpus program itself is right: its training loss is finite on tf.keras.
    tf_loss = _training_loss(module, TF_KERAS, tf_model, x_tf, None if y_np is None else _map(_to_tf, y_np))
    assert np.isfinite(float(tf_loss)), f"{name}: the training loss is not finite on tf.keras: {tf_loss}"

    try:
        _run_ours(module, x_np, y_np, tf_flat, tf_weights, tf_eval_loss)
    except Exception as exc:  # noqa: BLE001  (any failure on our side is a finding)
        if expected_failure is None:
            raise
        first = _first_line(exc)
        if not first.startswith(expected_failure):
            raise AssertionError(
                f"{name}: the first failure on kerascompat changed; update CORPUS (and corpus/README.md).\n"
                f"  table: {expected_failure}\n  now:   {first}"
            ) from exc
        raise CorpusFailure(first) from exc


def _params():
    for name, failure in CORPUS.items():
        marks = () if failure is None else pytest.mark.xfail(strict=True, raises=CorpusFailure, reason=failure)
        yield pytest.param(name, failure, id=name, marks=marks)


@pytest.mark.parametrize("name, expected_failure", list(_params()))
def test_keras_io_program(name, expected_failure):
    run_program(name, expected_failure)


def test_corpus_table_lists_every_module():
    here = os.path.join(os.path.dirname(__file__), "corpus")
    modules = sorted(f[:-3] for f in os.listdir(here) if f.endswith(".py") and not f.startswith("_"))
    assert modules == sorted(CORPUS)


def _refresh_table():
    """Print CORPUS as it stands for this checkout's kerascompat (each program's first failure, or None)."""
    print(f"# kerascompat from {kerascompat.__file__}")
    print("CORPUS = {")
    for name in CORPUS:
        try:
            run_program(name, "")
            print(f"    {name!r}: None,".replace("'", '"'))
        except CorpusFailure as exc:
            print(f'    "{name}":\n        {str(exc)!r},')
    print("}")


if __name__ == "__main__":
    _refresh_table()
