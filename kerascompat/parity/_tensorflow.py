"""TensorFlow, imported only when a comparison runs (kerascompat itself never imports it)."""

import importlib
import os

INSTALL_HINT = ("kerascompat.parity compares your model against TensorFlow, which is not installed. "
                "Install it with `pip install kerascompat[parity]` (or `pip install tensorflow-cpu`).")


def import_tensorflow():
    """The `tensorflow` module, or ImportError saying how to install it.

    TensorFlow is kept off GPUs where it can still be told so: it is the reference, CPU
    arithmetic is what the parity suite checks against, and a TensorFlow holding the GPU's
    memory would starve the torch model being checked.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        tf = importlib.import_module("tensorflow")
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    try:
        tf.config.set_visible_devices([], "GPU")
    except (RuntimeError, ValueError):  # TensorFlow already initialised its devices: leave them as they are
        pass
    return tf
