"""The two models `compare` runs: ours and TensorFlow's, made from what the user passed, with the
same weights; and putting the user's model back as it was afterwards."""

import inspect
import json
import os

import numpy as np

FILE_SUFFIXES = (".keras", ".h5", ".hdf5")


def _is_ours(value):
    from ..engine.base_layer import Layer

    return isinstance(value, Layer)


def _is_tf_keras(value):
    module = type(value).__module__
    return module.split(".")[0] in ("keras", "tensorflow", "tf_keras")


def kind_of(model, reference):
    """'model', 'build' or 'path' (what `model` is); TypeError/ValueError for anything else."""
    if reference is not None and _is_ours(reference):
        raise TypeError("`reference` must be a tf.keras model (the model to compare against); pass your kerascompat "
                        f"model as `model`. Received: `reference`={reference!r}")
    if _is_ours(model):
        return "model"
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not path.lower().endswith(FILE_SUFFIXES):
            raise ValueError("A model file must be a `.keras` or `.h5` file. Received: "
                             f"`model`={path!r}")
        if reference is not None:
            raise ValueError("`reference` cannot be combined with a model file (both sides load the file). "
                             f"Received: `model`={path!r}, `reference`={reference!r}")
        return "path"
    if _is_tf_keras(model):
        raise TypeError("`model` is a tf.keras model: pass your kerascompat model (or a build function `fn(keras)`) "
                        f"as `model` and the tf.keras model as `reference=`. Received: `model`={model!r}")
    if inspect.isclass(model) or not callable(model):
        raise TypeError("`model` must be a kerascompat model, a build function `fn(keras)` returning one, or the "
                        f"path of a .keras/.h5 file. Received: `model`={model!r}")
    return "build"


def require_load_model(path):
    """`kerascompat.models.load_model`, or NotImplementedError when this kerascompat has none."""
    from .. import models

    load_model = getattr(models, "load_model", None)
    if load_model is None:
        raise NotImplementedError(
            "Comparing a model file needs `kerascompat.models.load_model`, which this version of kerascompat does "
            "not provide. Build the model in code and pass it (or a build function `fn(keras)`) instead. "
            f"Received: `model`={os.fspath(path)!r}")
    return load_model


def _objects_for(custom_objects, keras):
    if callable(custom_objects) and not isinstance(custom_objects, dict):
        objects = custom_objects(keras)
        if objects is not None and not isinstance(objects, dict):
            raise TypeError("`custom_objects(keras)` must return a dict. "
                            f"Received: `custom_objects`={custom_objects!r} returning {objects!r}")
        return objects
    return custom_objects


def _json_default(value):
    if hasattr(value, "item") and hasattr(value, "dtype"):
        return value.item()
    raise TypeError(f"Cannot serialize {value!r} (type {type(value).__name__}) to JSON.")


def _perturbed(weights, seed):
    """1-D float weights (biases, normalization parameters and statistics) + 0.1 * N(0, 1), so a
    bias that a bug ignores cannot hide behind zero initial values."""
    rng = np.random.default_rng(seed)
    return [w + rng.standard_normal(w.shape).astype(w.dtype) * 0.1 if w.ndim == 1 and w.dtype.kind == "f" else w
            for w in weights]


class Pair:
    def __init__(self, model, kind, reference, custom_objects):
        self.tf, self.model, self.kind, self.reference = None, model, kind, reference
        self.custom_objects = custom_objects
        self.ours = self.theirs = None
        self._restore_weights = None

    def build_ours(self):
        import kerascompat

        if self.kind == "model":
            self.ours = self.model
        elif self.kind == "build":
            self.ours = self.model(kerascompat)
            if not _is_ours(self.ours):
                raise TypeError("The build function must return a model when called with kerascompat. Received: "
                                f"`model`={self.model!r} returning {self.ours!r}")
        else:
            load_model = require_load_model(self.model)
            objects = _objects_for(self.custom_objects, kerascompat)
            self.ours = load_model(os.fspath(self.model), **({"custom_objects": objects} if objects else {}))
        return self.ours

    def build_theirs(self, tf, tf_feed):
        """Make TensorFlow's model; call both models once, so that every weight exists."""
        import torch

        self.tf = tf
        tf_keras = self.tf.keras
        objects = _objects_for(self.custom_objects, tf_keras)
        if self.reference is not None:
            if not isinstance(self.reference, tf_keras.layers.Layer):
                raise TypeError(f"`reference` must be a tf.keras model. Received: `reference`={self.reference!r}")
            theirs = self.reference
        elif self.kind == "model":
            from ..saving import serialize_keras_object

            config = json.loads(json.dumps(serialize_keras_object(self.ours), default=_json_default))
            try:
                theirs = tf_keras.layers.deserialize(config, custom_objects=objects)
            except Exception as error:
                raise ValueError(
                    f"tf.keras could not rebuild model {self.ours.name!r} from its config ({type(error).__name__}: "
                    f"{error}). If the model has custom layers, pass their tf.keras classes as `custom_objects`, or "
                    "pass a build function `fn(keras)` as `model`.") from error
        elif self.kind == "build":
            theirs = self.model(tf_keras)
            if not isinstance(theirs, tf_keras.layers.Layer):
                raise TypeError("The build function must return a model when called with tf.keras. Received: "
                                f"`model`={self.model!r} returning {theirs!r}")
        else:
            theirs = tf_keras.models.load_model(os.fspath(self.model), custom_objects=objects, compile=False)
        self.theirs = theirs
        theirs(tf_feed, training=False)
        # Ours runs once too: a custom layer's sub-layers may still be unbuilt after a symbolic call.
        feed = self.tf.nest.map_structure(lambda t: torch.from_numpy(np.array(t.numpy())), tf_feed)
        with torch.no_grad():
            self.ours(feed, training=False)

    def share_weights(self, seed):
        ours, theirs = self.ours, self.theirs
        if self.kind == "model" and self.reference is None:
            self._set(theirs, ours.get_weights(), "TensorFlow's rebuilt model")
        elif self.kind == "build" and self.reference is None:
            weights = _perturbed(theirs.get_weights(), seed + 1)
            theirs.set_weights(weights)
            self._set(ours, weights, "kerascompat's model")
        elif self.reference is not None:
            saved = ours.get_weights()
            self._set(ours, theirs.get_weights(), "kerascompat's model")
            self._restore_weights = saved
        elif len(ours.get_weights()) != len(theirs.get_weights()):
            raise ValueError(f"The file loads with {len(ours.get_weights())} weights in kerascompat and "
                             f"{len(theirs.get_weights())} in tf.keras. Received: `model`={self.model!r}")

    @staticmethod
    def _set(target, weights, what):
        try:
            target.set_weights(weights)
        except ValueError as error:
            raise ValueError(f"The two models do not hold the same weights: setting {what}'s failed: {error}") from error

    def restore(self):
        if self._restore_weights is not None:
            self.ours.set_weights(self._restore_weights)
            self._restore_weights = None
