"""TorchModuleWrapper: any torch.nn.Module as a Keras layer."""

import base64
import io

import torch
from torch import nn

from ...engine.base_layer import Layer
from ...saving import serialization_lib as _lib


class TorchModuleWrapper(Layer):
    """Wraps a `torch.nn.Module` (held as `self.module`) as a Keras layer, as Keras's torch
    backend does: its parameters are the layer's weights (trainable when they require grad) and
    its persistent buffers non-trainable weights, so the module works in functional and
    Sequential models, `summary`, `fit` and weight files. The layer is built at construction.
    `training=False` puts the module in eval mode for the call, otherwise train mode (Keras's
    rule). `output_shape` (with the batch axis) is the output shape of symbolic calls; without
    it the module runs on placeholder tensors to find it. A lazy module must be initialized first.
    The config holds the pickled module (base64 of `torch.save`), which `from_config` loads
    only outside safe mode, as Keras."""

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        if not isinstance(module, nn.Module):
            raise TypeError(f"`module` must be a torch.nn.Module. Received: module={module!r}")
        if isinstance(module, nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
            raise ValueError("LazyModules are not supported unless they are already initialized. "
                             f"Received uninitialized LazyModule: module={module}")
        super().__init__(name=name, **kwargs)
        self.module = module
        self._output_shape_arg = None if output_shape is None else tuple(output_shape)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        mode = training is not False
        if self.module.training != mode:
            self.module.train(mode)
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape_arg is None:
            return super().compute_output_shape(input_shape)
        return self._output_shape_arg

    def get_config(self):
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        return {**super().get_config(), "module": base64.b64encode(buffer.getvalue()).decode("ascii"),
                "output_shape": self._output_shape_arg}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if "module" in config:
            effective = safe_mode if safe_mode is not None else _lib.in_safe_mode()
            if effective is not False:
                raise ValueError(
                    "Requested the deserialization of a `torch.nn.Module` object via `torch.load()`. This carries a "
                    "potential risk of arbitrary code execution and thus it is disallowed by default. If you trust "
                    "the source of the artifact, you can override this error by passing `safe_mode=False` to the "
                    "loading function, or calling `keras.config.enable_unsafe_deserialization().")
            raw = base64.b64decode(config["module"].encode("ascii"))
            config["module"] = torch.load(io.BytesIO(raw), weights_only=False)
        return cls(**config)
