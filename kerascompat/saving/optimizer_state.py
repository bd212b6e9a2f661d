"""A Keras optimizer's variables (`optimizer/vars/<i>` in Keras 3 files) <-> the state of the
torch optimizer that `compile` builds for it.

Keras 3.15 stores `[iterations, learning_rate]` followed by the per-variable slots of the
model's `trainable_variables` (`base_optimizer.add_optimizer_variables`):
- SGD with momentum: one `momentum` per variable, `m = momentum*m - lr*g`. `compile` builds
  keras_rules.KerasSGD for it, which keeps that same `m` as its `momentum` state, so it is copied
  as is. (torch.optim.SGD, were a Keras SGD to build one, keeps `buf = momentum*buf + g` and
  subtracts `lr*buf`: there `buf = -m / lr`.)
- Adam / AdamW: `momentum`, `velocity` interleaved per variable, then one `velocity_hat` per
  variable with amsgrad; torch's `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, and
  `step` = Keras's `iterations`.
- SGD without momentum: no per-variable slot.
Keras keeps each slot in its variable's Keras layout; torch in the parameter's layout, so each
one goes through the weight slot's layout (a GRU bias (2, 3u) is two torch parameters).
Other optimizers (RMSprop, Adagrad, ...) are restored and saved without their moments, with a
warning saying so.
"""

import warnings

import numpy as np
import torch

from .._weights import StackedSlot

_ADAM_FAMILY = ("Adam", "AdamW")


def keras_trainable_slots(model):
    """The slots behind Keras's `model.trainable_variables`, in order."""
    return [s for s in model._all_slots()
            if s.trainable and not s.is_buffer and all(p.requires_grad for p in s.params)]


def _keras_to_torch(slot, value):
    """[(parameter, tensor in that parameter's layout)] for a Keras-layout array of `slot`'s shape."""
    value = torch.as_tensor(np.asarray(value))
    parts = slot.parts if isinstance(slot, StackedSlot) else [slot]
    values = [value[i] for i in range(len(parts))] if isinstance(slot, StackedSlot) else [value]
    out = []
    for part, part_value in zip(parts, values):
        param = part.param
        out.append((param, part.layout.to_torch(part_value).to(device=param.device, dtype=param.dtype).clone()))
    return out


def _torch_to_keras(slot, tensors):
    """A Keras-layout numpy array of `slot` from per-parameter torch tensors (None: zeros)."""
    parts = slot.parts if isinstance(slot, StackedSlot) else [slot]
    views = []
    for part, tensor in zip(parts, tensors):
        tensor = torch.zeros_like(part.param) if tensor is None else tensor
        views.append(part.layout.to_keras(tensor.detach()))
    out = torch.stack(views) if isinstance(slot, StackedSlot) else views[0]
    return out.cpu().numpy()


def _slot_names(spec):
    """The torch state names of the Keras slots of `spec`: (interleaved per variable, trailing),
    or (None, None) for an optimizer whose state is not mapped."""
    keras_name, options = type(spec).__name__, spec.options
    if keras_name in _ADAM_FAMILY:
        return ["exp_avg", "exp_avg_sq"], (["max_exp_avg_sq"] if options.get("amsgrad") else [])
    if keras_name == "SGD":
        if not options.get("momentum"):
            return [], []
        # keras_rules.KerasSGD keeps Keras's own momentum; torch's SGD its `momentum_buffer`
        torch_class = getattr(spec, "torch_class", None)
        return (["momentum_buffer"] if torch_class is torch.optim.SGD else ["momentum"]), []
    return None, None


def _iterations(torch_opt):
    """Keras's `iterations`: torch's own step count where the optimizer keeps one (Adam's
    `step`), else the count that Keras's `apply` and a loaded file leave on the optimizer.
    (`fit` steps of an optimizer without a step count, SGD, are not counted.)"""
    steps = [int(state["step"]) for state in torch_opt.state.values() if "step" in state]
    if steps:
        return max(steps)
    return int(getattr(torch_opt, "_keras_iterations", 0))


def _keras_class(model):
    spec = getattr(model, "_optimizer_spec", None)
    return None if spec is None or isinstance(spec, torch.optim.Optimizer) else spec


def save_optimizer_variables(model):
    """The list of Keras optimizer variables (numpy) of a compiled model, or None when the model
    has no Keras optimizer description (not compiled, or compiled with a torch optimizer)."""
    spec = _keras_class(model)
    if spec is None or not hasattr(spec, "options"):
        return None
    torch_opt = model.optimizer
    lr = spec.learning_rate if torch_opt is None else torch_opt.param_groups[0]["lr"]
    iterations = 0 if torch_opt is None else _iterations(torch_opt)
    head = [np.asarray(iterations, dtype=np.int64), np.asarray(lr, dtype=np.float32)]
    if torch_opt is None:
        return head  # as Keras writes an optimizer that has not been built yet
    interleaved, trailing = _slot_names(spec)
    if interleaved is None:
        warnings.warn(f"The state of optimizer {type(spec).__name__} (its per-variable moments) is not written "
                      "by kerascompat; the file holds its iteration count and learning rate only.", stacklevel=3)
        return head
    out = list(head)
    slots = keras_trainable_slots(model)
    for names in (interleaved, trailing):
        for slot in slots:
            for name in names:
                tensors = [torch_opt.state.get(p, {}).get(name) for p in slot.params]
                value = _torch_to_keras(slot, tensors)
                if name == "momentum_buffer":
                    value = -value * np.float32(lr)
                out.append(value.astype(np.float32, copy=False))
    return out


def load_optimizer_variables(model, values, filepath):
    """Restore Keras optimizer variables into the model's torch optimizer (built here).
    Checks everything before changing anything; a file whose optimizer does not fit raises."""
    spec = _keras_class(model)
    if spec is None:
        return
    keras_name = type(spec).__name__
    if len(values) < 2:
        raise ValueError(f"Cannot load {filepath}: its optimizer holds {len(values)} variables; "
                         "a Keras optimizer stores at least `iterations` and `learning_rate`.")
    iterations, lr = int(np.asarray(values[0])), float(np.asarray(values[1]))
    interleaved, trailing = _slot_names(spec)
    slots = keras_trainable_slots(model)
    updates = []
    if len(values) > 2:
        if interleaved is None:
            warnings.warn(f"{filepath}: the per-variable state of optimizer {keras_name} is not restored by "
                          "kerascompat (SGD and Adam/AdamW are); training continues with fresh moments.",
                          stacklevel=3)
        else:
            expected = 2 + len(slots) * (len(interleaved) + len(trailing))
            if len(values) != expected:
                raise ValueError(f"Cannot load {filepath}: its optimizer {keras_name} holds {len(values)} variables "
                                 f"but this model's needs {expected} ({len(slots)} trainable weights).")
            index = 2
            for names in (interleaved, trailing):
                for slot in slots:
                    for name in names:
                        value = np.asarray(values[index])
                        index += 1
                        if tuple(value.shape) != tuple(slot.keras_shape()):
                            raise ValueError(f"Cannot load {filepath}: optimizer variable {index - 1} ({name} of "
                                             f"{slot.path}) has shape {value.shape}, expected {tuple(slot.keras_shape())}.")
                        if name == "momentum_buffer":
                            value = -value / np.float32(lr)
                        updates.extend((param, name, tensor) for param, tensor in _keras_to_torch(slot, value))
    elif iterations > 0 and interleaved:
        warnings.warn(f"{filepath}: the optimizer has taken {iterations} steps but the file holds no moments; "
                      "training continues with fresh moments.", stacklevel=3)
    torch_opt = model._ensure_optimizer()
    for group in torch_opt.param_groups:
        group["lr"] = lr
    spec.learning_rate = lr
    torch_opt._keras_iterations = iterations
    if not updates:
        return
    for param, name, tensor in updates:
        state = torch_opt.state[param]
        state[name] = tensor
        if keras_name in _ADAM_FAMILY:
            state["step"] = torch.tensor(float(iterations), dtype=torch.float32)
