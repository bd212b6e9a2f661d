"""`kerascompat.parity` without TensorFlow: importing it imports no TensorFlow, arguments are checked
before TensorFlow is needed, a missing TensorFlow says how to install it, and the report's
arithmetic and table (the comparison itself is tested against tf.keras in parity/)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerascompat
from kerascompat import parity
from kerascompat.parity import cli
from kerascompat.parity._inputs import input_specs, random_inputs
from kerascompat.parity.report import LayerRow, ParityReport, Comparison, measure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def no_tensorflow(monkeypatch):
    """TensorFlow hidden: `import tensorflow` raises ImportError (and nothing here may import it)."""
    monkeypatch.setitem(sys.modules, "tensorflow", None)


def _model():
    inp = kerascompat.Input((3,))
    return kerascompat.Model(inp, kerascompat.layers.Dense(2)(inp))


def test_importing_kerascompat_parity_imports_no_tensorflow():
    code = "import sys, kerascompat.parity; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_kerascompat_parity_is_not_the_test_suite_directory():
    assert parity.__file__ == os.path.join(ROOT, "kerascompat", "parity", "__init__.py")
    assert sorted(parity.__all__) == ["Comparison", "LayerRow", "ParityReport", "compare"]


def test_missing_tensorflow_says_how_to_install(no_tensorflow):
    with pytest.raises(ImportError, match=r"pip install kerascompat\[parity\]"):
        parity.compare(_model())


@pytest.mark.parametrize("kwargs, error, match", [
    ({"rtol": "1e-5"}, TypeError, r"`rtol` must be a number. Received: `rtol`='1e-5'"),
    ({"atol": -1.0}, ValueError, r"`atol` must be a finite number >= 0. Received: `atol`=-1.0"),
    ({"rtol": float("nan")}, ValueError, r"Received: `rtol`=nan"),
    ({"gradients": 1}, TypeError, r"`gradients` must be True or False. Received: `gradients`=1"),
    ({"training_step": "yes"}, TypeError, r"Received: `training_step`='yes'"),
    ({"custom_objects": ["Scale"]}, TypeError, r"Received: `custom_objects`=\['Scale'\]"),
    ({"seed": 1.5}, TypeError, r"Received: `seed`=1.5"),
    ({"reference": "placeholder"}, TypeError, r"`reference` must be a tf.keras model"),
])
def test_argument_errors_come_before_tensorflow(no_tensorflow, kwargs, error, match):
    if kwargs.get("reference") == "placeholder":
        kwargs = {"reference": _model()}  # a kerascompat model is not a reference
    with pytest.raises(error, match=match):
        parity.compare(_model(), **kwargs)


@pytest.mark.parametrize("model, error, match", [
    (3, TypeError, r"`model` must be a kerascompat model, a build function .* Received: `model`=3"),
    (kerascompat.layers.Dense, TypeError, r"Received: `model`=<class"),
    ("model.pt", ValueError, r"must be a `.keras` or `.h5` file. Received: `model`='model.pt'"),
])
def test_model_argument_errors(no_tensorflow, model, error, match):
    with pytest.raises(error, match=match):
        parity.compare(model)


def test_a_model_file_needs_load_model(no_tensorflow, monkeypatch):
    monkeypatch.delattr(kerascompat.models, "load_model", raising=False)
    with pytest.raises(NotImplementedError, match=r"`kerascompat.models.load_model`.*Received: `model`='m.keras'"):
        parity.compare("m.keras")
    with pytest.raises(ValueError, match="`reference` cannot be combined with a model file"):
        parity.compare("m.h5", reference=object())


def test_cli_usage_errors_exit_2(no_tensorflow, capsys):
    assert cli.main(["no_colon_here"]) == 2
    assert "MODEL must be `module:name`" in capsys.readouterr().err
    assert cli.main(["kerascompat:no_such_builder"]) == 2
    assert "has no attribute 'no_such_builder'" in capsys.readouterr().err
    assert cli.main(["kerascompat.models:Sequential"]) == 2  # a class, TensorFlow not reached
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2


def test_cli_without_tensorflow_exits_2_saying_how_to_install(tmp_path):
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['tensorflow'] = None\n")
    (tmp_path / "pc_cli_model.py").write_text(
        "def build(keras):\n    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), ROOT]))
    out = subprocess.run([sys.executable, "-m", "kerascompat.parity", "pc_cli_model:build"], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert "pip install kerascompat[parity]" in out.stderr


def test_measure_by_hand():
    # |ours - tf| <= atol * max(1, max|tf|) + rtol * |tf|: bound at 2.0 is 1e-5 * 2 + 1e-5 * 2 = 4e-5.
    max_abs, max_rel, ok, note = measure([1.0, 2.00003], [1.0, 2.0], 1e-5, 1e-5)
    assert ok and note == "" and max_abs == pytest.approx(3e-5) and max_rel == pytest.approx(1.5e-5)
    assert not measure([1.0, 2.00005], [1.0, 2.0], 1e-5, 1e-5)[2]
    assert measure([np.nan, 1.0], [np.nan, 1.0], 0, 0)[2]  # NaN where TensorFlow has NaN
    assert not measure([np.nan, 1.0], [0.0, 1.0], 1, 1)[2]
    assert measure([np.inf], [np.inf], 0, 0)[2] and not measure([-np.inf], [np.inf], 1, 1)[2]
    assert measure([0.0, 0.0], [0.0, 0.0], 0, 0)[:3] == (0.0, 0.0, True)
    assert measure(np.zeros((2, 3)), np.zeros((3, 2)), 1, 1)[2:] == (False, "shape (2, 3) vs TensorFlow's (3, 2)")


def _row(name, passed, grad_passed=True, compared=True):
    return LayerRow(name, "Dense", (2, 4), 0.0 if passed else 0.5, 0.0 if passed else 0.25, passed,
                    grad_max_abs_error=0.0, grad_passed=grad_passed, compared=compared)


def test_report_names_the_first_failing_row_and_marks_it():
    rows = [_row("a", True), _row("cell", True, compared=False), _row("b", False), _row("c", False)]
    report = ParityReport(rows, [Comparison("output", (2, 4), 0.5, 0.25, False)])
    assert report.first_mismatch == "b" and not report.passed and not report and not report.ok
    text = str(report)
    assert text.splitlines()[0].startswith("kerascompat parity against TensorFlow: FAILED")
    assert "First layer whose output differs: b (Dense), max abs error 5.000e-01" in text
    marked = [line for line in text.splitlines() if line.startswith(">>")]
    assert len(marked) == 1 and marked[0].split()[1] == "b"
    data = report.to_dict()
    json.dumps(data, allow_nan=False)  # NaN of the not-compared row written as null
    assert data["first_mismatch"] == "b" and [r["name"] for r in data["layers"]] == ["a", "cell", "b", "c"]
    rows[0].grad_passed = False  # a gradient that differs upstream of a forward mismatch is not localised
    assert report.first_gradient_mismatch is None and "Gradients differ too" in str(report)


def test_a_not_compared_row_never_fails_and_gradients_count():
    rows = [_row("a", True), LayerRow("x", "LSTMCell", None, float("nan"), float("nan"), True, compared=False)]
    assert ParityReport(rows, [Comparison("output", (2,), 0.0, 0.0, True)]).passed
    # An output gradient that differs while every input and weight gradient matches (ties): passes.
    rows = [_row("a", True, grad_passed=False), _row("b", True)]
    ok_grads = [Comparison("dense/kernel", (3, 4), 0.0, 0.0, True)]
    report = ParityReport(rows, [Comparison("output", (2,), 0.0, 0.0, True)], weight_gradients=ok_grads)
    assert report.passed and report.first_gradient_mismatch is None and "ok, gradient differs" in str(report)
    bad_grads = [Comparison("dense/kernel", (3, 4), 0.5, 0.5, False)]
    report = ParityReport(rows, [Comparison("output", (2,), 0.0, 0.0, True)], weight_gradients=bad_grads)
    assert not report.passed and report.first_mismatch is None and report.first_gradient_mismatch == "a"
    assert "GRADIENT MISMATCH" in str(report) and "dense/kernel" in str(report)


def test_random_inputs_follow_the_input_specs():
    tokens = kerascompat.Input((None,), dtype="int32", name="tokens")
    values = kerascompat.Input((3,), name="values")
    x = kerascompat.layers.Embedding(7, 2)(tokens)
    x = kerascompat.layers.GlobalAveragePooling1D()(x)
    model = kerascompat.Model([tokens, values], kerascompat.layers.Concatenate()([x, values]))
    specs = input_specs(model)
    assert specs == [("tokens", (None, None), "int32", 7), ("values", (None, 3), "float32", None)]
    a, b = random_inputs(specs, seed=0)
    assert a.shape == (2, 8) and a.dtype == np.int32 and a.min() >= 0 and a.max() < 7
    assert b.shape == (2, 3) and b.dtype == np.float32
    np.testing.assert_array_equal(random_inputs(specs, seed=0)[1], b)  # seeded


def test_a_subclassed_model_needs_inputs(no_tensorflow, monkeypatch):
    class Net(kerascompat.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerascompat.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    assert input_specs(Net()) is None
    with pytest.raises(ValueError, match=r"`inputs` are needed: model .* Received: `inputs`=None"):
        parity.compare(Net())
    with pytest.raises(TypeError, match="The build function must return a model when called with kerascompat"):
        parity.compare(lambda keras: "not a model")
