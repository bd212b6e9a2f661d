"""Keras optimizers, with Keras's names and defaults, built as torch optimizers.

`kerascompat.optimizers.Adam(learning_rate=1e-3)` is a description; `model.compile` (or
`optimizer.build(params)`) turns it into the torch optimizer doing the same update:

| Keras | torch | note |
|---|---|---|
| SGD(momentum=0) | torch.optim.SGD | the same update |
| SGD(momentum > 0, nesterov) | keras_rules.KerasSGD | Keras keeps `lr * g` in the momentum; torch.optim.SGD agrees only while the rate is constant |
| Adam, AdamW (amsgrad) | torch.optim.Adam, AdamW | Keras adds `epsilon` to sqrt(v) before the bias correction, torch after: a step pre-hook gives torch `epsilon / sqrt(1 - beta_2**t)`, which makes the two updates equal |
| Nadam | torch.optim.NAdam(momentum_decay=1) | Keras's momentum schedule `beta_1 * (1 - 0.5 * 0.96**t)` |
| Adamax | keras_rules.KerasAdamax | Keras adds epsilon after the infinity-norm max, torch inside it |
| RMSprop(rho, momentum, centered) | keras_rules.KerasRMSprop | Keras divides by sqrt(v + epsilon), torch by sqrt(v) + epsilon |
| Adagrad(initial_accumulator_value) | keras_rules.KerasAdagrad | sqrt(acc + epsilon) vs sqrt(acc) + epsilon |
| Adadelta(rho) | torch.optim.Adadelta | the same update |
| Lion, Lamb | keras_rules.KerasLion, KerasLamb | torch has neither |

`learning_rate` may be a `keras.optimizers.schedules.LearningRateSchedule`: before each update
the parameter groups get its value at the number of updates done (Keras's `iterations`).
parity/test_optimizer_parity.py checks every row against tf.keras over several steps.

`weight_decay` is decoupled as in Keras 3 (the variable shrinks by lr * weight_decay before each
update); `clipnorm`, `clipvalue` and `global_clipnorm` clip gradients before the update.
"""

import types

import torch

from ..saving import object_registration as _reg
from ..saving import serialization_lib as _lib
from .._validation import reject_unsupported
from . import keras_rules, schedules


class Optimizer:
    """A Keras optimizer description; `build(params)` returns the torch optimizer."""

    torch_class = None
    _defaults = {}

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        reject_unsupported(type(self).__name__, use_ema=(use_ema, False), loss_scale_factor=(loss_scale_factor, None),
                           gradient_accumulation_steps=(gradient_accumulation_steps, None),
                           ema_overwrite_frequency=(ema_overwrite_frequency, None))
        if isinstance(learning_rate, dict):
            learning_rate = schedules.deserialize(learning_rate)
        if not isinstance(learning_rate, (int, float, schedules.LearningRateSchedule)) \
                or isinstance(learning_rate, bool):
            raise TypeError(f"`learning_rate` must be a number or a `keras.optimizers.schedules."
                            f"LearningRateSchedule`. Received: `learning_rate`={learning_rate!r}")
        if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set.")
        unknown = set(kwargs) - set(self._defaults)
        if unknown:
            raise ValueError(f"Argument(s) not recognized: {sorted(unknown)}")
        self._schedule = learning_rate if isinstance(learning_rate, schedules.LearningRateSchedule) else None
        self._learning_rate = None if self._schedule is not None else float(learning_rate)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.name = name or type(self).__name__.lower()
        self.options = {**self._defaults, **kwargs}

    def _torch_kwargs(self):
        raise NotImplementedError

    def _adapt(self, optimizer):
        """Hooks making the built torch optimizer compute Keras's update (none by default)."""

    @property
    def learning_rate(self):
        """The learning rate now: the constant, or the schedule at the current step."""
        if self._schedule is None:
            return self._learning_rate
        return schedules.learning_rate_at(self._schedule, self.iterations)

    @learning_rate.setter
    def learning_rate(self, value):
        built = getattr(self, "_torch_optimizer", None)
        if isinstance(value, schedules.LearningRateSchedule):  # Keras lets a schedule replace the rate
            if built is not None and getattr(built, "_keras_schedule", None) is None:
                raise TypeError("`learning_rate` can become a schedule only before the optimizer is built. "
                                f"Received: `learning_rate`={value!r}")
            self._schedule, self._learning_rate = value, None
            if built is not None:
                built._keras_schedule = value
            return
        if self._schedule is not None:
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                            "constructor argument, hence its learning rate is not settable. If you need the learning "
                            "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
                            "argument.")
        self._learning_rate = float(value)
        if built is not None:
            for group in built.param_groups:
                group["lr"] = self._learning_rate

    @property
    def _initial_lr(self):
        return self._learning_rate if self._schedule is None else schedules.learning_rate_at(self._schedule, 0)

    # Keras's update API, for a custom `train_step` (and GANs with one optimizer per network):
    # the torch optimizer is built over the variables of the first call, as Keras builds then.
    def apply(self, grads, trainable_variables=None):
        """Keras's `optimizer.apply(grads, trainable_variables)`: one update of the variables."""
        if trainable_variables is None:
            if getattr(self, "_torch_optimizer", None) is None:
                raise ValueError("When calling `apply` before the optimizer is built, `trainable_variables` "
                                 "must be provided.")
            trainable_variables = [p for g in self._torch_optimizer.param_groups for p in g["params"]]
        trainable_variables = list(trainable_variables)
        if getattr(self, "_torch_optimizer", None) is None:
            self._torch_optimizer = self.build(trainable_variables)
        apply_to_torch_optimizer(self._torch_optimizer, grads, trainable_variables)

    def apply_gradients(self, grads_and_vars):
        """Keras's `optimizer.apply_gradients(zip(grads, variables))`."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)

    @property
    def iterations(self):
        """Number of updates applied through `apply` (Keras's `optimizer.iterations`)."""
        built = getattr(self, "_torch_optimizer", None)
        return 0 if built is None else getattr(built, "_keras_iterations", 0)

    def _attach_schedule(self, optimizer):
        """Before each update the groups get the schedule's value at the number of updates
        done so far (Keras's `iterations`); after it, that number goes up by one."""
        optimizer._keras_schedule = self._schedule
        optimizer._keras_iterations = 0
        optimizer._keras_counts_steps = True

        def before(opt, args, kwargs):
            schedule = opt._keras_schedule
            if schedule is not None:
                lr = schedules.learning_rate_at(schedule, opt._keras_iterations)
                for group in opt.param_groups:
                    group["lr"] = lr

        def after(opt, args, kwargs):
            opt._keras_iterations += 1

        optimizer.register_step_pre_hook(before)
        optimizer.register_step_post_hook(after)

    def build(self, params):
        """The torch optimizer for `params`, with Keras's clipping and decoupled weight decay."""
        params = [p for p in params if p.requires_grad]
        optimizer = self.torch_class(params, **self._torch_kwargs())
        self._torch_optimizer = optimizer
        if self._schedule is not None:  # first, so that weight decay and the update see this step's rate
            self._attach_schedule(optimizer)
        self._adapt(optimizer)
        decay = self.weight_decay if self.torch_class is not torch.optim.AdamW else None
        if decay or self.clipnorm is not None or self.clipvalue is not None or self.global_clipnorm is not None:
            optimizer.register_step_pre_hook(self._pre_step(decay))
        return optimizer

    def _pre_step(self, decay):
        def hook(optimizer, args, kwargs):
            with torch.no_grad():
                params = [p for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
                if self.global_clipnorm is not None:
                    torch.nn.utils.clip_grad_norm_(params, self.global_clipnorm)
                for group in optimizer.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        if self.clipnorm is not None:
                            norm = torch.linalg.vector_norm(p.grad)
                            if norm > self.clipnorm:
                                p.grad.mul_(self.clipnorm / norm)
                        if self.clipvalue is not None:
                            p.grad.clamp_(-self.clipvalue, self.clipvalue)
                        if decay:
                            p.mul_(1 - group["lr"] * decay)
        return hook

    def get_config(self):
        lr = self._learning_rate if self._schedule is None else schedules.serialize(self._schedule)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm,
                **self.options}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SGD(Optimizer):
    _defaults = {"momentum": 0.0, "nesterov": False}

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, momentum=momentum, nesterov=nesterov, **kwargs)

    @property
    def torch_class(self):
        # the same update for momentum 0; with momentum Keras keeps lr inside the buffer
        return torch.optim.SGD if not self.options["momentum"] else keras_rules.KerasSGD

    def _torch_kwargs(self):
        return {"lr": self._initial_lr, "momentum": self.options["momentum"], "nesterov": self.options["nesterov"]}


class Adam(Optimizer):
    torch_class = torch.optim.Adam
    _defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "betas": (o["beta_1"], o["beta_2"]), "eps": o["epsilon"],
                "amsgrad": o["amsgrad"]}

    def _adapt(self, optimizer):
        keras_rules.keras_adam_epsilon(optimizer)


class AdamW(Adam):
    torch_class = torch.optim.AdamW

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)

    def _torch_kwargs(self):
        return {**super()._torch_kwargs(), "weight_decay": self.weight_decay or 0.0}


class Adamax(Optimizer):
    torch_class = keras_rules.KerasAdamax
    _defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "beta_1": o["beta_1"], "beta_2": o["beta_2"], "epsilon": o["epsilon"]}


class Nadam(Optimizer):
    torch_class = torch.optim.NAdam
    _defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs)

    def _torch_kwargs(self):
        # Keras's momentum schedule is beta_1 * (1 - 0.5 * 0.96**t): torch's with momentum_decay=1
        o = self.options
        return {"lr": self._initial_lr, "betas": (o["beta_1"], o["beta_2"]), "eps": o["epsilon"],
                "momentum_decay": 1.0}


class RMSprop(Optimizer):
    torch_class = keras_rules.KerasRMSprop
    _defaults = {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, rho=rho, momentum=momentum, epsilon=epsilon,
                         centered=centered, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "rho": o["rho"], "epsilon": o["epsilon"], "momentum": o["momentum"],
                "centered": o["centered"]}


class Adagrad(Optimizer):
    torch_class = keras_rules.KerasAdagrad
    _defaults = {"initial_accumulator_value": 0.1, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, initial_accumulator_value=initial_accumulator_value,
                         epsilon=epsilon, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "initial_accumulator_value": o["initial_accumulator_value"],
                "epsilon": o["epsilon"]}


class Adadelta(Optimizer):
    torch_class = torch.optim.Adadelta
    _defaults = {"rho": 0.95, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, rho=rho, epsilon=epsilon, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "rho": o["rho"], "eps": o["epsilon"]}


class Lion(Optimizer):
    """Keras's Lion (sign of an interpolated momentum); Keras's update (keras_rules.KerasLion)."""

    torch_class = keras_rules.KerasLion
    _defaults = {"beta_1": 0.9, "beta_2": 0.99}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(f"Argument for `beta_1` must be in range (0, 1]. Received: `beta_1`={beta_1}")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "beta_1": o["beta_1"], "beta_2": o["beta_2"]}


class Lamb(Optimizer):
    """Keras's Lamb (Adam's step scaled by a per-variable trust ratio); keras_rules.KerasLamb."""

    torch_class = keras_rules.KerasLamb
    _defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs)

    def _torch_kwargs(self):
        o = self.options
        return {"lr": self._initial_lr, "beta_1": o["beta_1"], "beta_2": o["beta_2"], "epsilon": o["epsilon"]}


def apply_to_torch_optimizer(optimizer, grads, variables):
    """Keras's `apply(grads, variables)` on a torch optimizer: the given gradients become the
    variables' `.grad` and one `step()` runs; the optimizer's other parameters keep still (their
    gradients, if any, are set aside for the step). A None gradient leaves its variable alone."""
    variables, grads = list(variables), list(grads)
    if len(grads) != len(variables):
        raise ValueError(f"`apply` got {len(grads)} gradients for {len(variables)} variables.")
    owned = {id(p) for group in optimizer.param_groups for p in group["params"]}
    given = {id(v) for v in variables}
    if not given <= owned:
        raise ValueError(f"`apply` got {len(given - owned)} variables that this optimizer does not update; "
                         "a torch optimizer updates the parameters it was built with.")
    for grad, variable in zip(grads, variables):
        if grad is not variable.grad:
            variable.grad = grad
    set_aside = []
    if len(given) < len(owned):
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None and id(p) not in given:
                    set_aside.append((p, p.grad))
                    p.grad = None
    optimizer.step()
    for p, grad in set_aside:
        p.grad = grad
    if not getattr(optimizer, "_keras_counts_steps", False):  # a schedule's hook counts every step
        optimizer._keras_iterations = getattr(optimizer, "_keras_iterations", 0) + 1


def _apply(optimizer, grads, trainable_variables=None):
    if trainable_variables is None:
        trainable_variables = [p for group in optimizer.param_groups for p in group["params"]]
    apply_to_torch_optimizer(optimizer, grads, trainable_variables)


def _apply_gradients(optimizer, grads_and_vars):
    grads, variables = zip(*grads_and_vars)
    apply_to_torch_optimizer(optimizer, grads, variables)


def with_keras_update_methods(optimizer):
    """Give a torch optimizer Keras's `apply(grads, variables)` and `apply_gradients(zip(grads,
    variables))`, so a Keras custom `train_step` runs on it unchanged. Returns the optimizer."""
    if not hasattr(optimizer, "apply"):
        optimizer.apply = types.MethodType(_apply, optimizer)
        optimizer.apply_gradients = types.MethodType(_apply_gradients, optimizer)
    return optimizer


_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "adamax": Adamax, "nadam": Nadam, "rmsprop": RMSprop,
            "adagrad": Adagrad, "adadelta": Adadelta, "lion": Lion, "lamb": Lamb}


_CLASSES = {cls.__name__: cls for cls in _BY_NAME.values()}
_reg.export("keras.optimizers", {**_CLASSES, **_BY_NAME})


def serialize(optimizer):
    """Keras's config of an optimizer (see `keras.saving.serialize_keras_object`)."""
    return _lib.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """The optimizer a config dict describes."""
    if isinstance(config, str):
        return get(config)
    obj = _lib.deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_CLASSES)
    return obj() if isinstance(obj, type) else obj


def get(identifier):
    """An Optimizer description for a Keras name ('adam', 'sgd', ...), a config dict or an Optimizer."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Known: {sorted(_BY_NAME)}")
        return cls()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


__all__ = ["apply_to_torch_optimizer", "with_keras_update_methods", "Optimizer", "SGD", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Adagrad", "Adadelta", "Lion", "Lamb", "deserialize", "get", "serialize"]
