"""keras.config: the process-wide settings, on torch.

Settings with a torch meaning behave as in Keras. Those that only steer other parts of Keras
are kept and reported by their getters (traceback filtering: kerascompat never filters
tracebacks, so both settings show full ones). Ones that kerascompat cannot honour raise
NotImplementedError naming the setting: a float dtype other than float32 for layers, and
mixed-precision policies (use torch.autocast).
"""

import os

from . import backend as _backend
from .backend import epsilon, floatx, image_data_format, set_epsilon, set_image_data_format
from .saving.serialization_lib import enable_unsafe_deserialization  # noqa: F401  (Keras's home of it)

_STATE = {
    "interactive_logging": True,
    "traceback_filtering": True,
    "max_epochs": int(os.environ["KERAS_MAX_EPOCHS"]) if os.environ.get("KERAS_MAX_EPOCHS") else None,
    "max_steps_per_epoch": (int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"])
                            if os.environ.get("KERAS_MAX_STEPS_PER_EPOCH") else None),
}


def backend():
    """The backend name: always 'torch'."""
    return "torch"


def set_backend(backend):
    if backend != "torch":
        raise NotImplementedError("kerascompat runs on torch only; use TensorFlow's own keras for other "
                                  f"backends. Received: `backend`={backend!r}")


def set_floatx(value):
    """Only 'float32': kerascompat layers create float32 weights (cast a model with `.double()`/`.half()`,
    or use torch.autocast, instead)."""
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of "
                         f"{{'float16', 'bfloat16', 'float32', 'float64'}}. Received: `value`={value!r}")
    if value != "float32":
        raise NotImplementedError("kerascompat layers create float32 weights; convert a model with torch's "
                                  f"`.to(dtype)` or use torch.autocast. Received: `value`={value!r}")
    _backend.set_floatx(value)


class DTypePolicy:
    """The global dtype policy: one float dtype for variables and computations."""

    def __init__(self, name=None):
        self.name = name or floatx()
        self.compute_dtype = self.variable_dtype = self.name
        self.quantization_mode = None

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'


def dtype_policy():
    return DTypePolicy()


def set_dtype_policy(policy):
    name = policy if isinstance(policy, str) else getattr(policy, "name", None)
    if not isinstance(name, str):
        raise ValueError(f"Invalid `policy` argument. Expected a policy name or a DTypePolicy. "
                         f"Received: `policy`={policy!r}")
    if name.startswith("mixed_"):
        raise NotImplementedError("Mixed-precision policies are not supported by kerascompat; wrap the forward "
                                  f"pass in torch.autocast instead. Received: `policy`={name!r}")
    if name not in ("float16", "bfloat16", "float32", "float64"):
        raise NotImplementedError(f"Only plain float policies exist in kerascompat. Received: `policy`={name!r}")
    set_floatx(name)


def enable_flash_attention():
    """Let dot_product_attention pick flash attention when torch can use it (the default)."""
    _backend._CONFIG["flash_attention"] = None


def disable_flash_attention():
    """Keep dot_product_attention (and the layers using it) off torch's flash-attention kernel."""
    _backend._CONFIG["flash_attention"] = False


def is_flash_attention_enabled():
    """None (automatic, the default) or False (disabled), as in Keras."""
    return _backend._CONFIG["flash_attention"]


def is_nnx_enabled():
    return False


def enable_interactive_logging():
    _STATE["interactive_logging"] = True


def disable_interactive_logging():
    _STATE["interactive_logging"] = False


def is_interactive_logging_enabled():
    return _STATE["interactive_logging"]


def enable_traceback_filtering():
    """Accepted for compatibility: kerascompat never filters tracebacks (torch frames are shown)."""
    _STATE["traceback_filtering"] = True


def disable_traceback_filtering():
    _STATE["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _STATE["traceback_filtering"]


def set_max_epochs(max_epochs):
    _STATE["max_epochs"] = max_epochs


def max_epochs():
    return _STATE["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    _STATE["max_steps_per_epoch"] = max_steps_per_epoch


def max_steps_per_epoch():
    return _STATE["max_steps_per_epoch"]


__all__ = [
    "backend", "disable_flash_attention", "disable_interactive_logging", "disable_traceback_filtering",
    "dtype_policy", "enable_flash_attention", "enable_interactive_logging", "enable_traceback_filtering",
    "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format", "is_flash_attention_enabled",
    "is_interactive_logging_enabled", "is_nnx_enabled", "is_traceback_filtering_enabled", "max_epochs",
    "max_steps_per_epoch", "set_backend", "set_dtype_policy", "set_epsilon", "set_floatx", "set_image_data_format",
    "set_max_epochs", "set_max_steps_per_epoch",
]
