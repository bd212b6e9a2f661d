"""kerascompat's own weights file (`torch.save` of the Keras-layout arrays in `get_weights`
order), used by `save_weights`/`load_weights` for paths that are not Keras files
(`.weights.pt`, `.pt`, `.pth`, ...). It loads into any model of the same architecture
(layer names may differ, as in Keras)."""

import os

import torch

FORMAT = "kerascompat.weights"


def save(model, filepath):
    slots = model._all_slots()
    payload = {"format": FORMAT, "version": 1, "model": model.name, "names": [s.name for s in slots],
               "weights": [torch.from_numpy(w) for w in model.get_weights()]}
    torch.save(payload, filepath)


def load(model, filepath):
    """Count and every shape are checked before anything changes (ValueError otherwise)."""
    try:
        payload = torch.load(os.fspath(filepath), map_location="cpu", weights_only=True)
    except (RuntimeError, EOFError, OSError, ValueError) as error:
        raise ValueError(f"Cannot load {filepath}: it is neither a Keras weights file (.weights.h5, .keras, "
                         f".h5) nor a readable kerascompat weights file ({error}).") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"Cannot load {filepath}: it is not a kerascompat weights file (written by `save_weights`).")
    try:
        model.set_weights(payload["weights"])
    except ValueError as error:
        raise ValueError(f"Cannot load {filepath} into model {model.name!r}: {error}") from None
