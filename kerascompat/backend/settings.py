"""keras.config's process-wide settings (kerascompat.config reads and sets them)."""

_CONFIG = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last", "flash_attention": None}
_FLOATX = ("float16", "bfloat16", "float32", "float64")


def floatx():
    """The default float type name, 'float32' unless set_floatx changed it."""
    return _CONFIG["floatx"]


def set_floatx(value):
    if value not in _FLOATX:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {set(_FLOATX)}. "
                         f"Received: `value`={value!r}")
    _CONFIG["floatx"] = str(value)


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7 by default)."""
    return _CONFIG["epsilon"]


def set_epsilon(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"`value` must be a float. Received: `value`={value!r}")
    _CONFIG["epsilon"] = float(value)


def image_data_format():
    """'channels_last' unless set_image_data_format changed it."""
    return _CONFIG["image_data_format"]


def set_image_data_format(data_format):
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                         f"Received: `data_format`={data_format!r}")
    _CONFIG["image_data_format"] = value
