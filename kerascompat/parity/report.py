"""`ParityReport`: what `kerascompat.parity.compare` found, as data and as a readable table.

Errors are measured as the parity suite measures them: a value matches when
|ours - tf| <= atol * max(1, max|tf|) + rtol * |tf| everywhere (NaN and inf where TensorFlow has
them), with equal shapes. `max_rel_error` is max|ours - tf| / max|tf|, the error relative to the
tensor's magnitude (an elementwise ratio is meaningless where TensorFlow's value is near 0).
"""

import dataclasses

import numpy as np


@dataclasses.dataclass
class Comparison:
    """One compared tensor (or structure of tensors): a model output, a gradient, a weight."""

    name: str
    shape: object  # a tuple, or a list of tuples for a layer with several outputs
    max_abs_error: float
    max_rel_error: float
    passed: bool
    note: str = ""


@dataclasses.dataclass
class LayerRow:
    """One call of one layer: its output against TensorFlow's, and (with `gradients=True`) the
    gradient of the loss with respect to that output. `compared` is False when the call has no
    counterpart on TensorFlow's side (`note` says why); such a row never fails."""

    name: str  # the layer's name, nested models' layers as "outer/inner"; "#k" for the k-th call (k >= 1)
    class_name: str
    output_shape: object
    max_abs_error: float
    max_rel_error: float
    passed: bool
    grad_max_abs_error: float = None
    grad_passed: bool = None
    compared: bool = True
    note: str = ""


def measure(ours, theirs, rtol, atol):
    """(max_abs_error, max_rel_error, passed, note) of two arrays."""
    ours = np.asarray(ours, dtype="float64")
    theirs = np.asarray(theirs, dtype="float64")
    if ours.shape != theirs.shape:
        return float("nan"), float("nan"), False, f"shape {ours.shape} vs TensorFlow's {theirs.shape}"
    if ours.size == 0:
        return 0.0, 0.0, True, ""
    finite = np.isfinite(theirs)
    same_special = ~finite & ((ours == theirs) | (np.isnan(ours) & np.isnan(theirs)))
    with np.errstate(invalid="ignore"):  # inf - inf
        err = np.where(same_special, 0.0, np.abs(ours - theirs))
    err = np.where(np.isnan(err), np.inf, err)
    magnitude = float(np.max(np.abs(theirs[finite]))) if finite.any() else 0.0
    bound = atol * max(1.0, magnitude) + rtol * np.where(finite, np.abs(theirs), 0.0)
    max_abs = float(np.max(err))
    max_rel = max_abs / magnitude if magnitude > 0 else (0.0 if max_abs == 0 else float("inf"))
    return max_abs, max_rel, bool(np.all(err <= bound)), ""


def measure_many(ours, theirs, rtol, atol):
    """`measure` over two lists of arrays (a layer's several outputs): the worst of each."""
    if len(ours) != len(theirs):
        return float("nan"), float("nan"), False, f"{len(ours)} tensors vs TensorFlow's {len(theirs)}"
    worst_abs, worst_rel, passed, notes = 0.0, 0.0, True, []
    for i, (a, b) in enumerate(zip(ours, theirs)):
        max_abs, max_rel, ok, note = measure(a, b, rtol, atol)
        worst_abs, worst_rel = _worst(worst_abs, max_abs), _worst(worst_rel, max_rel)
        passed = passed and ok
        if note:
            notes.append(f"[{i}] {note}" if len(ours) > 1 else note)
    return worst_abs, worst_rel, passed, "; ".join(notes)


def _worst(a, b):
    return b if np.isnan(b) or b > a else a


class ParityReport:
    """The result of `compare`: truthy when everything matched.

    Attributes: `passed` (also `ok`, and `bool(report)`), `first_mismatch` (the name of the first
    layer, in Keras's call order, whose output differs beyond tolerance, or None),
    `first_gradient_mismatch` (going back from the outputs, the first layer whose output gradient
    differs, when every output matches and some input or weight gradient does not: the layers
    called after it computed that gradient), `layers` (`LayerRow`s: a row's own `grad_passed`
    does not decide `passed`, since frameworks may pick different subgradients at ties),
    `outputs`, `input_gradients`, `weight_gradients`, `weights_after_step` (`Comparison`s), and
    `rtol`/`atol`. `str(report)` is a table; `to_dict()` is plain data (JSON-ready).
    """

    def __init__(self, layers, outputs, input_gradients=(), weight_gradients=(), weights_after_step=(),
                 rtol=1e-5, atol=1e-5, notes=()):
        self.layers = list(layers)
        self.outputs = list(outputs)
        self.input_gradients = list(input_gradients)
        self.weight_gradients = list(weight_gradients)
        self.weights_after_step = list(weights_after_step)
        self.rtol, self.atol = rtol, atol
        self.notes = list(notes)

    @property
    def first_mismatch(self):
        for row in self.layers:
            if row.compared and not row.passed:
                return row.name
        return None

    @property
    def gradients_passed(self):
        """Every gradient with respect to an input and a trainable weight matches (what training sees)."""
        return all(c.passed for c in self.input_gradients + self.weight_gradients)

    @property
    def first_gradient_mismatch(self):
        if self.first_mismatch is not None:  # different activations give different gradients: nothing to localise
            return None
        if self.gradients_passed:  # output gradients may differ harmlessly (subgradients at ties)
            return None
        for row in reversed(self.layers):
            if row.compared and row.grad_passed is False:
                return row.name
        return None

    @property
    def passed(self):
        rows = self.outputs + self.input_gradients + self.weight_gradients + self.weights_after_step
        return all(row.passed for row in rows) and all(row.passed for row in self.layers if row.compared)

    ok = passed

    def __bool__(self):
        return self.passed

    def to_dict(self):
        def rows(items):
            return [{k: _plain(v) for k, v in dataclasses.asdict(item).items()} for item in items]

        return {"passed": self.passed, "first_mismatch": self.first_mismatch,
                "first_gradient_mismatch": self.first_gradient_mismatch, "rtol": self.rtol, "atol": self.atol,
                "layers": rows(self.layers), "outputs": rows(self.outputs),
                "input_gradients": rows(self.input_gradients), "weight_gradients": rows(self.weight_gradients),
                "weights_after_step": rows(self.weights_after_step), "notes": list(self.notes)}

    def __repr__(self):
        return f"<ParityReport passed={self.passed} first_mismatch={self.first_mismatch!r}>"

    def __str__(self):
        return format_report(self)


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


def _shape_text(shape):
    if isinstance(shape, list):
        return ", ".join(_shape_text(s) for s in shape)
    if isinstance(shape, tuple):
        return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    return str(shape)


def _num(value):
    return "-" if value is None else f"{value:.2e}"


def _table(header, lines):
    widths = [max(len(str(row[i])) for row in [header] + lines) for i in range(len(header))]
    out = ["  ".join(str(cell).ljust(w) for cell, w in zip(header, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out.extend("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines)
    return out


def format_report(report):
    first, first_grad = report.first_mismatch, report.first_gradient_mismatch
    verdict = "PASSED" if report.passed else "FAILED"
    out = [f"kerascompat parity against TensorFlow: {verdict} "
           f"(|ours - tf| <= {report.atol:g} * max(1, max|tf|) + {report.rtol:g} * |tf|)"]
    if first is not None:
        row = next(r for r in report.layers if r.name == first)
        out.append(f"First layer whose output differs: {first} ({row.class_name}), max abs error "
                   f"{row.max_abs_error:.3e}, max rel error {row.max_rel_error:.3e}, output shape "
                   f"{_shape_text(row.output_shape)}{'; ' + row.note if row.note else ''}. "
                   "The layers before it match.")
    elif not all(o.passed for o in report.outputs):
        out.append("Every compared layer matches, yet the model's outputs differ: the difference arises outside "
                   "the layers compared (an operation between layers, or a layer not compared).")
    if first is not None and any(r.compared and r.grad_passed is False for r in report.layers):
        out.append("Gradients differ too, as they must once activations differ: fix the first mismatch first.")
    if first_grad is not None:
        out.append(f"Gradients first differ (going back from the outputs) at the output of {first_grad}: "
                   "computed by the layers called after it.")
    out.append("")
    grads = any(r.grad_passed is not None for r in report.layers)
    header = ["", "layer", "class", "output shape", "max abs err", "max rel err"] + (["grad abs err"] if grads else [])
    header.append("status")
    lines = []
    for row in report.layers:
        if not row.compared:
            status = "not compared"
        elif not row.passed:
            status = "MISMATCH"
        elif row.grad_passed is False:
            status = "ok, gradient differs" if report.gradients_passed else "GRADIENT MISMATCH"
        else:
            status = "ok"
        mark = ">>" if row.name in (first, first_grad) else ""
        line = [mark, row.name, row.class_name, _shape_text(row.output_shape),
                _num(row.max_abs_error) if row.compared else "-", _num(row.max_rel_error) if row.compared else "-"]
        if grads:
            line.append(_num(row.grad_max_abs_error) if row.compared else "-")
        line.append(status + (f" ({row.note})" if row.note else ""))
        lines.append(line)
    out.extend(_table(header, lines))
    for title, items in (("Model outputs", report.outputs), ("Gradients with respect to the inputs", report.input_gradients),
                         ("Weight gradients", report.weight_gradients),
                         ("Weights after one SGD step", report.weights_after_step)):
        if not items:
            continue
        failed = [c for c in items if not c.passed]
        out.append("")
        out.append(f"{title}: {len(items) - len(failed)} of {len(items)} match")
        shown = items if title in ("Model outputs", "Gradients with respect to the inputs") else failed
        if shown:
            out.extend("  " + line for line in _table(
                ["name", "shape", "max abs err", "max rel err", "status"],
                [[c.name, _shape_text(c.shape), _num(c.max_abs_error), _num(c.max_rel_error),
                  ("ok" if c.passed else "MISMATCH") + (f" ({c.note})" if c.note else "")] for c in shown]))
    out.extend(f"Note: {note}" for note in report.notes)
    return "\n".join(out)
