"""`kerascompat.parity`: prove that your model computes what TensorFlow computes, and when it does
not, name the first layer where the numbers part.

    from kerascompat import parity
    report = parity.compare(model)       # a kerascompat model, a build function fn(keras), a file
    print(report)                        # one row per layer call, the first mismatch marked
    assert report.ok

From a shell: `python -m kerascompat.parity module:build_fn` (or `kerascompat-parity ...`).

TensorFlow is imported when a comparison runs, never on import; install it with
`pip install kerascompat[parity]`. (This package is unrelated to the repository's top-level
`parity/` directory, which holds kerascompat's own test suite.)
"""

from .compare import compare
from .report import Comparison, LayerRow, ParityReport

__all__ = ["Comparison", "LayerRow", "ParityReport", "compare"]
