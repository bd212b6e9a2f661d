"""The progress output of fit / evaluate / predict and `keras.utils.Progbar`, against tf.keras's
for the same calls. Both are captured off a terminal; the lines a terminal shows when each bar
is done are compared character for character (ANSI codes included) with the times masked, and
the metric values masked to their format (digits -> 9, so `0.4375` and `1.2e-05`-style shapes
must agree). Keras redraws in place even when piped; kerascompat writes only each bar's final
line there (see kerascompat/_progbar.py), so the comparison is of what the screen shows."""

import contextlib
import io
import re

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS


def screen_lines(text):
    """The lines a terminal shows: each line's text after its last carriage return, with the
    backspaces and the trailing blanks of the in-place redraws removed."""
    out = []
    for line in text.split("\n"):
        line = line.split("\r")[-1].replace("\b", "").rstrip(" ")
        if line:
            out.append(line)
    return out


_TIME = re.compile(r"(\x1b\[1m)\d+(:\d\d)*s(\x1b\[0m)|\b\d+(us|ms|s)/(step|sample)| - \d+s - ")
_VALUE = re.compile(r": (-?\d+\.\d+(e[-+]\d+)?)")


def mask(line):
    line = _TIME.sub(lambda m: m.group(0).translate(str.maketrans("0123456789", "##########")), line)
    line = re.sub(r"#+", "#", line)
    line = re.sub(r"#(us|ms|s)/", "#/", line)  # the unit follows the speed
    return _VALUE.sub(lambda m: ": " + re.sub(r"\d", "9", m.group(1)), line)


def captured(fn):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        fn()
    return [mask(line) for line in screen_lines(buffer.getvalue())]


def data():
    rng = np.random.default_rng(0)
    return rng.random((64, 4)).astype("float32"), rng.integers(0, 3, 64)


def compiled(K, metrics):
    model = K.Sequential([K.Input((4,)), K.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=metrics)
    return model


def calls(K):
    x, y = data()
    metrics = ["accuracy", K.metrics.SparseTopKCategoricalAccuracy(k=2)]
    return {
        "fit-epochs-2-validation": lambda: compiled(K, metrics).fit(x, y, epochs=2, batch_size=16,
                                                                     validation_split=0.25),
        "fit-epochs-1": lambda: compiled(K, metrics).fit(x, y, epochs=1, batch_size=8, verbose=1),
        "fit-verbose-2": lambda: compiled(K, ["accuracy"]).fit(x, y, epochs=2, batch_size=16, verbose=2,
                                                                validation_data=(x, y)),
        "fit-no-metrics": lambda: compiled(K, None).fit(x, y, epochs=1, batch_size=64),
        "evaluate": lambda: compiled(K, metrics).evaluate(x, y, batch_size=5),
        "evaluate-verbose-2": lambda: compiled(K, metrics).evaluate(x, y, batch_size=16, verbose=2),
        "predict": lambda: compiled(K, metrics).predict(x, batch_size=16),
        "predict-verbose-2": lambda: compiled(K, metrics).predict(x, batch_size=16, verbose=2),
    }


@pytest.mark.parametrize("name", list(calls(kerascompat)))
def test_fit_evaluate_predict_output_matches_tf_keras(name):
    ours = captured(calls(kerascompat)[name])
    theirs = captured(calls(TF_KERAS)[name])
    assert ours == theirs


def progbar_runs(K):
    def plain():
        bar = K.utils.Progbar(target=12)
        for i in range(12):
            bar.update(i + 1, values=[("loss", 0.5 / (i + 1)), ("tiny", 1e-5)])

    def averaged_and_added():
        bar = K.utils.Progbar(target=3, stateful_metrics=["acc"], unit_name="sample")
        for _ in range(3):
            bar.add(1, values=[("loss", 2.0), ("acc", 0.25)])

    def verbose_2():
        bar = K.utils.Progbar(target=4, verbose=2)
        for i in range(4):
            bar.update(i + 1, values=[("loss", -0.5), ("small", 2e-4)])

    def unknown_target_finalized():
        bar = K.utils.Progbar(target=None)
        for i in range(5):
            bar.update(i + 1, values=[("loss", 1.0)])
        bar.update(5, values=[("loss", 1.0)], finalize=True)

    return {"plain": plain, "averaged-and-added": averaged_and_added, "verbose-2": verbose_2,
            "unknown-target": unknown_target_finalized}


@pytest.mark.parametrize("name", list(progbar_runs(kerascompat)))
def test_progbar_output_matches_tf_keras(name):
    ours = captured(progbar_runs(kerascompat)[name])
    theirs = captured(progbar_runs(TF_KERAS)[name])
    if name == "unknown-target":  # off a terminal only the finalized line is written here
        theirs = theirs[-1:]
    assert ours == theirs
