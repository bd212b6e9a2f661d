"""Process-wide state that Keras keeps in its backend: layer-name counters."""

import collections
import re

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


def floatx():
    return "float32"


def image_data_format():
    return "channels_last"
