"""BatchNormalization."""

import numbers

import torch
import torch.nn.functional as F
from torch import nn

from ... import initializers
from ..._validation import check_bool, incompatible_input, received
from ...engine.base_layer import Layer
from .._common import set_weight_args, weight_args_config
from . import _batch_stats
from ._axes import canonical_axis, scale_and_shift

_BN_WEIGHTS = ("beta", "gamma")


class BatchNormalization(Layer):
    """Normalizes over every axis but `axis`, with moving statistics for inference.

    Torch-native state, as an `nn.BatchNorm*d` holds it: parameters `weight` (Keras's
    `gamma`) and `bias` (`beta`), buffers `running_mean` (`moving_mean`) and `running_var`
    (`moving_variance`); `get_weights()` lists them in Keras's order
    [gamma, beta, moving_mean, moving_variance]. Keras's `momentum` m is torch's 1 - m.

    `training=True` (torch's train mode when no `training` is passed) normalizes with the
    batch statistics and updates the moving ones as Keras does, with the *biased* batch
    variance: `moving = moving * momentum + batch * (1 - momentum)`. A layer with
    `trainable=False` always runs in inference mode (Keras's fine-tuning rule). A mask
    (inputs.shape[:-1]) keeps masked positions out of the batch statistics.

    `synchronized=True`: while training, the batch statistics are those of the global batch,
    all-reduced over torch.distributed's default process group (DDP, torchrun); without one
    they are the local statistics, as Keras's without a distribution strategy.
    `renorm=True`: batch renormalization as Keras does it, with `renorm_clipping`
    ({"rmax", "rmin", "dmax"}) and `renorm_momentum`, and three more buffers (Keras's
    non-trainable weights `moving_stddev`, `renorm_mean`, `renorm_stddev`).
    """

    _track_plain_torch_params = False
    _uses_batch_statistics = True  # TimeDistributed runs it once per step while training
    supports_masking = True

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            # Keras 3 converts `axis` with int(): a list or tuple is a TypeError there too.
            raise TypeError("BatchNormalization: `axis` must be an integer. " + received("axis", axis))
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = check_bool(center, "center")
        self.scale = check_bool(scale, "scale")
        self.synchronized = check_bool(synchronized, "synchronized")
        self.renorm = check_bool(renorm, "renorm")
        self.renorm_clipping = _batch_stats.check_renorm_clipping(renorm_clipping) if renorm else renorm_clipping
        self.renorm_momentum = float(renorm_momentum)
        set_weight_args(self, _BN_WEIGHTS, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self._ndim = None
        self._features = None

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        ndim = len(input_shape)
        axis = canonical_axis(self.axis, ndim, self.name)
        features = input_shape[axis]
        if features is None:
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} of the input shape must be defined. '
                f"Received: input_shape={tuple(input_shape)}")
        self._ndim, self._axis, self._features = ndim, axis, int(features)
        dtype = self._dtype
        if self.scale:
            self.register_parameter("weight", nn.Parameter(torch.empty(features, dtype=dtype)))
            self._add_slot("gamma", self, "weight", initializer=self.gamma_initializer,
                           regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        else:
            self.register_parameter("weight", None)
        if self.center:
            self.register_parameter("bias", nn.Parameter(torch.empty(features, dtype=dtype)))
            self._add_slot("beta", self, "bias", initializer=self.beta_initializer,
                           regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        else:
            self.register_parameter("bias", None)
        self.register_buffer("running_mean", torch.empty(features, dtype=dtype))
        self.register_buffer("running_var", torch.empty(features, dtype=dtype))
        self._add_buffer_slot("moving_mean", self, "running_mean", initializer=self.moving_mean_initializer)
        self._add_buffer_slot("moving_variance", self, "running_var", initializer=self.moving_variance_initializer)
        if self.renorm:
            # Keras tracks the inference standard deviation too, and the renorm statistics.
            def stddev_initializer(shape, dtype=None):
                return torch.sqrt(torch.as_tensor(self.moving_variance_initializer(shape, dtype=dtype)))

            for name, initializer in (("moving_stddev", stddev_initializer),
                                      ("renorm_mean", self.moving_mean_initializer),
                                      ("renorm_stddev", stddev_initializer)):
                self.register_buffer(name, torch.empty(features, dtype=dtype))
                self._add_buffer_slot(name, self, name, initializer=initializer)

    # ------------------------------------------------------------------ calling
    def _check(self, inputs):
        if inputs.dim() != self._ndim or inputs.shape[self._axis] != self._features:
            raise incompatible_input(
                self, f"expected ndim={self._ndim}, axis {self.axis} of size {self._features}", inputs.shape)

    def call(self, inputs, training=None, mask=None):
        self._check(inputs)
        if mask is not None and mask.dim() != inputs.dim() - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}")
        d = self.__dict__
        params, buffers = d["_parameters"], d["_buffers"]
        weight, bias = params["weight"], params["bias"]
        if not (training and self._trainable):
            return self._normalize(inputs, buffers["running_mean"], buffers["running_var"], weight, bias)
        if mask is not None or self.renorm or self.synchronized:
            return self._train_general(inputs, mask, weight, bias, buffers)
        x, restore = self._as_nc(inputs)
        if self.epsilon > 0 and x.shape[0] * x[0, 0].numel() > 1:
            # torch's kernel normalizes with the biased batch variance and reports the unbiased
            # one in its running buffer; with momentum 1 those buffers hold exactly the batch
            # statistics, which update the moving ones as Keras does.
            batch_mean = torch.zeros(self._features, dtype=x.dtype, device=x.device)
            batch_var = torch.zeros_like(batch_mean)
            out = F.batch_norm(x, batch_mean, batch_var, weight, bias, True, 1.0, self.epsilon)
            n = x.numel() // self._features
            self._update_moving(buffers, batch_mean, batch_var * ((n - 1) / n))
            return restore(out)
        # torch's kernel refuses a single value per feature (statistics: that value and 0) and epsilon <= 0.
        var, mean = torch.var_mean(inputs, dim=self._reduction_dims(), correction=0)
        self._update_moving(buffers, mean.detach(), var.detach())
        return self._affine(inputs, mean, var, weight, bias)

    def _reduction_dims(self):
        return [d for d in range(self._ndim) if d != self._axis]

    def _as_nc(self, inputs):
        """The input as (N, C, ...) for torch's kernel, a view, and how to restore Keras's layout.
        Features last: (-1, C) of a contiguous tensor is a view, in the layout torch reads best."""
        axis = self._axis
        if axis == 1:
            return inputs, _identity
        if axis == self._ndim - 1:
            shape = inputs.shape
            return inputs.reshape(-1, self._features), lambda out: out.reshape(shape)
        return inputs.movedim(axis, 1), lambda out: out.movedim(1, axis)

    def _normalize(self, inputs, mean, var, weight, bias):
        x, restore = self._as_nc(inputs)
        return restore(F.batch_norm(x, mean, var, weight, bias, False, 0.0, self.epsilon))

    def _update_moving(self, buffers, mean, var):
        m = self.momentum
        with torch.no_grad():
            running_mean, running_var = buffers["running_mean"], buffers["running_var"]
            running_mean.copy_(running_mean * m + mean.to(running_mean.dtype) * (1.0 - m))
            running_var.copy_(running_var * m + var.to(running_var.dtype) * (1.0 - m))

    def _train_general(self, inputs, mask, weight, bias, buffers):
        """Training with a mask, `synchronized=True` or `renorm=True` (Keras's order: masked
        moments are local, as in Keras)."""
        dims = self._reduction_dims()
        if mask is not None:
            mean, var = _batch_stats.masked_moments(inputs, mask, dims)
        elif self.synchronized:
            mean, var = _batch_stats.synchronized_moments(inputs, dims)
        else:
            var, mean = torch.var_mean(inputs, dim=dims, correction=0)
        if not self.renorm:
            self._update_moving(buffers, mean.detach(), var.detach())
            return self._affine(inputs, mean, var, weight, bias)
        r, d = _batch_stats.renorm_correction(mean, var, buffers["renorm_mean"], buffers["renorm_stddev"],
                                              self.epsilon, self.renorm_clipping)
        weight, bias = _batch_stats.renorm_affine(r, d, weight, bias)
        self._update_renorm(buffers, mean.detach(), var.detach())
        return self._affine(inputs, mean, var, weight, bias)

    def _update_renorm(self, buffers, mean, var):
        # Keras's renorm update: renorm statistics with `renorm_momentum`, the moving mean and
        # standard deviation with `momentum`, and the moving variance derived from the latter.
        stddev = torch.sqrt(var + self.epsilon)
        m, rm = self.momentum, self.renorm_momentum
        with torch.no_grad():
            renorm_mean, renorm_stddev = buffers["renorm_mean"], buffers["renorm_stddev"]
            renorm_mean.copy_(renorm_mean * rm + mean * (1.0 - rm))
            renorm_stddev.copy_(renorm_stddev * rm + stddev * (1.0 - rm))
            running_mean, moving_stddev = buffers["running_mean"], buffers["moving_stddev"]
            running_mean.copy_(running_mean * m + mean * (1.0 - m))
            moving_stddev.copy_(moving_stddev * m + stddev * (1.0 - m))
            buffers["running_var"].copy_(torch.relu(moving_stddev * moving_stddev - self.epsilon))

    def _affine(self, inputs, mean, var, weight, bias):
        shape = [1] * self._ndim
        shape[self._axis] = self._features
        out = (inputs - mean.reshape(shape)) * torch.rsqrt(var.reshape(shape) + self.epsilon)
        return scale_and_shift(out, weight, bias, shape)

    def compute_output_shape(self, input_shape):
        canonical_axis(self.axis, len(input_shape), self.name)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            **{k: v for k, v in weight_args_config(self, _BN_WEIGHTS).items() if not k.endswith("_initializer")},
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }

    def extra_repr(self):
        return f"name={self.name!r}, axis={self.axis}, momentum={self.momentum}, epsilon={self.epsilon}"


def _identity(out):
    return out
