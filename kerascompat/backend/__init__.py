"""Process-wide state that Keras keeps in its backend: layer-name counters."""

import collections
import re

from . import legacy as _legacy
from .dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype  # noqa: F401
from .settings import (  # noqa: F401
    _CONFIG, _FLOATX, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format,
)

_NAME_UIDS = collections.defaultdict(int)


def get_uid(prefix="default"):
    """Return 1, 2, ... for successive calls with the same prefix (as keras.backend.get_uid)."""
    _NAME_UIDS[prefix] += 1
    return _NAME_UIDS[prefix]


def unique_name(prefix):
    """`dense`, `dense_1`, `dense_2`, ... as Keras names layers."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def clear_session():
    """Reset the automatic layer names, as keras.backend.clear_session() does."""
    _NAME_UIDS.clear()


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def backend():
    """The name of the backend: kerascompat computes with torch."""
    return "torch"


def is_keras_tensor(x):
    """True for a symbolic tensor of the functional API (`Input()`, a layer or op called on one)."""
    return getattr(type(x), "_is_keras_tensor", False)


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Keras 2's per-sample CTC loss, which tf.keras 3 still exports (see backend/legacy.py)."""
    return _legacy.ctc_batch_cost(y_true, y_pred, input_length, label_length, epsilon())
