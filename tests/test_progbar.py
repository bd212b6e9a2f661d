"""keras.utils.Progbar and fit's progress output: in-place redraws on a terminal, one final
line per bar elsewhere, Keras's number formats. (parity/test_progbar_parity.py compares the
output with tf.keras's.)"""

import io

import numpy as np

import kerascompat as keras
from kerascompat import _progbar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run(monkeypatch, stream, fn):
    monkeypatch.setattr("sys.stdout", stream)
    fn()
    return stream.getvalue()


def test_off_a_terminal_only_the_final_line_is_written(monkeypatch):
    def steps():
        bar = keras.utils.Progbar(target=3, interval=0)
        for i in range(3):
            bar.update(i + 1, values=[("loss", 0.25)])
    out = run(monkeypatch, io.StringIO(), steps)
    assert out.count("\n") == 1 and "\r" not in out and "\b" not in out
    assert out.startswith("\x1b[1m3/3\x1b[0m \x1b[32m" + "━" * 20 + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m")
    assert out.endswith(" - loss: 0.2500\n")


def test_on_a_terminal_the_bar_redraws_in_place(monkeypatch):
    def steps():
        bar = keras.utils.Progbar(target=4, interval=0)
        for i in range(4):
            bar.update(i + 1, values=[("loss", 1.0)])
    out = run(monkeypatch, Terminal(), steps)
    draws = out.split("\r")
    assert len(draws) == 5 and draws[0] == ""  # four redraws, each after a carriage return
    assert draws[1].startswith("\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m" + "━" * 15 + "\x1b[0m")
    # each redraw first backs over the previous one: as many backspaces as it had visible characters
    visible = len(draws[1].replace("\b", "")) - 8 - 9 - 9 - 8
    assert draws[2].endswith("\b" * visible)
    assert out.endswith("loss: 1.0000\n")


def test_number_formats():
    assert _progbar.format_value(0.27123) == " 0.2712"
    assert _progbar.format_value(-2e-4) == " -2.0000e-04"
    assert _progbar.format_value(-0.5, signed_threshold=False) == " -5.0000e-01"  # verbose=2 compares the value
    assert _progbar.format_step_time(0.0123, "step") == " 12ms/step"
    assert _progbar.format_step_time(0.0004, "step") == " 400us/step"
    assert _progbar.format_step_time(2.4, "step") == " 2s/step"
    assert _progbar.format_eta(3725) == "1:02:05" and _progbar.format_eta(75) == "1:15" and _progbar.format_eta(7) == "7s"


def model():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def test_fit_off_a_terminal_prints_one_line_per_epoch_and_builds_no_step_logs(monkeypatch):
    x, y = np.random.rand(64, 4).astype("float32"), np.random.randint(0, 3, 64)
    m = model()
    calls = []
    original = type(m).get_metrics_result
    monkeypatch.setattr(type(m), "get_metrics_result", lambda self: calls.append(1) or original(self))
    out = run(monkeypatch, io.StringIO(), lambda: m.fit(x, y, batch_size=8, epochs=3))
    lines = out.splitlines()
    assert [l for l in lines if l.startswith("Epoch")] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert len(lines) == 6 and all(l.startswith("\x1b[1m8/8\x1b[0m") for l in lines[1::2])
    assert " - accuracy: " in lines[1] and lines[1].index("accuracy") < lines[1].index("loss")
    assert len(calls) == 3  # once per epoch, never per step


def test_fit_with_one_epoch_prints_no_epoch_header(monkeypatch):
    x, y = np.random.rand(16, 4).astype("float32"), np.random.randint(0, 3, 16)
    out = run(monkeypatch, io.StringIO(), lambda: model().fit(x, y, batch_size=8, verbose=2))
    assert out.startswith("2/2 - ") and "Epoch" not in out and out.count("\n") == 1


def test_a_user_progbar_logger_replaces_the_default(monkeypatch):
    x, y = np.random.rand(16, 4).astype("float32"), np.random.randint(0, 3, 16)
    logger = keras.callbacks.ProgbarLogger()
    out = run(monkeypatch, io.StringIO(), lambda: model().fit(x, y, batch_size=8, epochs=2, callbacks=[logger]))
    assert out.count("Epoch 1/2") == 1 and logger.epochs == 2 and logger.target == 2
