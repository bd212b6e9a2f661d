"""The parity case record (TensorFlow-free, so tests/ can read the table without importing TF)."""

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

DEFAULT_TOL = 1e-5


class Both:
    """A constructor argument built separately for each framework: `Both(lambda K: K.regularizers.L2(0.1))`."""

    def __init__(self, make):
        self.make = make


@dataclass
class Case:
    id: str
    layer: Optional[str] = None                 # Keras layer class name (layer cases)
    kwargs: dict = field(default_factory=dict)
    input_shapes: Any = (2, 3)                  # one shape with batch, or a list of shapes
    build: Optional[Callable] = None            # build(keras_namespace) -> model (model cases)
    rtol: float = DEFAULT_TOL
    atol: float = DEFAULT_TOL
    tol_reason: Optional[str] = None            # required when rtol/atol differ from the default
    xfail: Optional[str] = None                 # known difference: the reason (also in KNOWN_DIFFERENCES.md)
    input_scale: float = 1.0
    input_dtype: str = "float32"
    sgd: bool = True
    call_kwargs: dict = field(default_factory=dict)
    # TensorFlow's CPU kernels only take channels_last convolutions/pools: for a channels_first
    # case the oracle is the same TF layer in channels_last between two transposes.
    tf_channels_last: bool = False
    # Recurrent call arguments: random initial states of these shapes (their gradients are
    # compared too), and a boolean (batch, timesteps) mask.
    initial_state_shapes: Any = None
    mask: Any = None
    # Zero the first input's steps from these lengths on (one per sample): padding for Masking.
    padded_lengths: Any = None
    # Why a whole-model case's config cannot cross frameworks as it is (it holds a Python lambda,
    # which needs unsafe deserialization, or a class defined inside `build`, which needs
    # custom_objects); parity/test_config_parity.py checks every other model case.
    config_needs: Optional[str] = None

    def __post_init__(self):
        if (self.rtol, self.atol) != (DEFAULT_TOL, DEFAULT_TOL) and not self.tol_reason:
            raise ValueError(f"parity case {self.id}: a looser tolerance needs `tol_reason`")


