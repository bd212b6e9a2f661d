"""The command line: `python -m kerascompat.parity MODEL [options]`, also installed as
`kerascompat-parity`.

MODEL is `module:name` (a build function `fn(keras)`, or a kerascompat model object, found by
importing `module` with the current directory on the path) or a `.keras`/`.h5` file. Prints the
report; exits 0 when everything matches, 1 when something differs, 2 on a usage error (bad
arguments, a model that cannot be made, TensorFlow missing).
"""

import argparse
import importlib
import json
import os
import sys

import numpy as np

from ._models import FILE_SUFFIXES


def _parser():
    parser = argparse.ArgumentParser(
        prog="kerascompat-parity",
        description="Compare a Keras model on kerascompat with tf.keras, layer by layer.")
    parser.add_argument("model", help="module:build_fn (fn(keras) returns the model), module:model, or a "
                                      ".keras/.h5 file")
    parser.add_argument("--inputs", help=".npz file: arr_0, arr_1, ... in the model's input order, or arrays named "
                                         "after the model's inputs")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--no-gradients", action="store_true", help="compare forward outputs only")
    parser.add_argument("--training-step", action="store_true", help="also compare weights after one SGD step")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs and perturbations")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _resolve(spec):
    if spec.lower().endswith(FILE_SUFFIXES):
        return spec
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"MODEL must be `module:name` or a .keras/.h5 file. Received: `model`={spec!r}")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ValueError(f"Module {module_name!r} has no attribute {attr!r}. Received: `model`={spec!r}") from None


def _load_inputs(path):
    with np.load(path) as data:
        keys = list(data.keys())
        positional = sorted((k for k in keys if k.startswith("arr_") and k[4:].isdigit()), key=lambda k: int(k[4:]))
        if len(positional) == len(keys):
            arrays = [data[k] for k in positional]
            return arrays[0] if len(arrays) == 1 else arrays
        return {k: data[k] for k in keys}


def main(argv=None):
    args = _parser().parse_args(argv)  # exits 2 on bad arguments
    from .compare import compare

    try:
        model = _resolve(args.model)
        inputs = _load_inputs(args.inputs) if args.inputs else None
        report = compare(model, inputs, rtol=args.rtol, atol=args.atol, gradients=not args.no_gradients,
                         training_step=args.training_step, seed=args.seed)
    except (ImportError, OSError, TypeError, ValueError, NotImplementedError) as error:
        print(f"kerascompat-parity: error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), indent=2, default=str) if args.json else report)
    return 0 if report.passed else 1
