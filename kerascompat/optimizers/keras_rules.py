"""Torch optimizers doing Keras's update arithmetic where torch's built-in ones differ.

| Keras | torch's nearest | the difference these remove |
|---|---|---|
| SGD(momentum > 0) | SGD | Keras keeps `lr * grad` in the momentum (`m = momentum * m - lr * g`), torch keeps `g` and multiplies by today's rate: they part as soon as the rate changes (a schedule, ReduceLROnPlateau) |
| RMSprop | RMSprop | Keras divides by `sqrt(v + epsilon)`, torch by `sqrt(v) + epsilon`; Keras's momentum holds `lr * g / rms` |
| Adagrad | Adagrad | `sqrt(acc + epsilon)` vs `sqrt(acc) + epsilon` |
| Adamax | Adamax | Keras adds epsilon to the infinity norm after the max, torch inside it |
| Lion, Lamb | none | torch has neither |

Each is a plain torch.optim.Optimizer (state_dict, param_groups, hooks, LR schedulers work);
the step is a loop of in-place torch ops per parameter, as torch's own single-tensor path.
"""

import torch


class KerasSGD(torch.optim.Optimizer):
    """Keras's SGD with momentum: `m = momentum * m - lr * g`, then `w += m` (Nesterov:
    `w += momentum * m - lr * g`)."""

    def __init__(self, params, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            lr, momentum, nesterov = group["lr"], group["momentum"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "momentum" not in state:
                    state["momentum"] = torch.zeros_like(p)
                m = state["momentum"]
                m.mul_(momentum).add_(p.grad, alpha=-lr)
                if nesterov:
                    p.add_(m, alpha=momentum).add_(p.grad, alpha=-lr)
                else:
                    p.add_(m)
        return loss


class KerasRMSprop(torch.optim.Optimizer):
    """Keras's RMSprop: `v = rho * v + (1 - rho) * g**2`; `w -= lr * g / sqrt(v + epsilon)`
    (centered: `v - avg_g**2 + epsilon`); with momentum, `m = momentum * m + lr * g / rms`, `w -= m`."""

    def __init__(self, params, lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
        super().__init__(params, {"lr": lr, "rho": rho, "momentum": momentum, "epsilon": epsilon,
                                  "centered": centered})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            lr, rho, momentum, eps = group["lr"], group["rho"], group["momentum"], group["epsilon"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if "velocity" not in state:
                    state["velocity"] = torch.zeros_like(p)
                    if group["centered"]:
                        state["average_gradient"] = torch.zeros_like(p)
                    if momentum > 0:
                        state["momentum"] = torch.zeros_like(p)
                v = state["velocity"]
                v.mul_(rho).addcmul_(g, g, value=1 - rho)
                if group["centered"]:
                    avg = state["average_gradient"]
                    avg.mul_(rho).add_(g, alpha=1 - rho)
                    denominator = v - avg * avg + eps
                else:
                    denominator = v + eps
                increment = g * lr / denominator.sqrt_()
                if momentum > 0:
                    m = state["momentum"]
                    m.mul_(momentum).add_(increment)
                    p.sub_(m)
                else:
                    p.sub_(increment)
        return loss


class KerasAdagrad(torch.optim.Optimizer):
    """Keras's Adagrad: `acc += g**2`; `w -= lr * g / sqrt(acc + epsilon)`."""

    def __init__(self, params, lr=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
        super().__init__(params, {"lr": lr, "initial_accumulator_value": initial_accumulator_value,
                                  "epsilon": epsilon})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "accumulator" not in state:
                    state["accumulator"] = torch.full_like(p, group["initial_accumulator_value"])
                acc = state["accumulator"]
                acc.addcmul_(p.grad, p.grad)
                p.sub_(p.grad * group["lr"] / (acc + group["epsilon"]).sqrt_())
        return loss


class KerasAdamax(torch.optim.Optimizer):
    """Keras's Adamax: `m += (g - m) * (1 - beta_1)`; `u = max(beta_2 * u, |g|)`;
    `w -= lr * m / ((1 - beta_1**t) * (u + epsilon))`."""

    def __init__(self, params, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(params, {"lr": lr, "beta_1": beta_1, "beta_2": beta_2, "epsilon": epsilon})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            b1, b2 = group["beta_1"], group["beta_2"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "step" not in state:
                    state["step"], state["m"], state["u"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                state["step"] += 1
                m, u = state["m"], state["u"]
                m.add_((p.grad - m) * (1 - b1))
                torch.maximum(u.mul_(b2), p.grad.abs(), out=u)
                p.sub_(m * group["lr"] / ((1 - b1 ** state["step"]) * (u + group["epsilon"])))
        return loss


def keras_adam_epsilon(optimizer):
    """A step pre-hook making torch's Adam/AdamW compute Keras's update: Keras adds epsilon to
    sqrt(v) before the bias correction (`alpha * m / (sqrt(v) + eps)`, `alpha = lr *
    sqrt(1 - beta_2**t) / (1 - beta_1**t)`), torch after it. Torch given `eps / sqrt(1 -
    beta_2**t)` at step t computes exactly Keras's update; the Keras epsilon is kept in each
    group as `keras_epsilon`."""
    for group in optimizer.param_groups:
        group["keras_epsilon"] = group["eps"]

    def before(opt, args, kwargs):
        for group in opt.param_groups:
            t = 1  # the step about to run, from torch's own count (so it survives a state_dict reload)
            for p in group["params"]:
                state = opt.state.get(p)
                if state and "step" in state:
                    t = int(state["step"]) + 1
                    break
            group["eps"] = group["keras_epsilon"] / (1.0 - group["betas"][1] ** t) ** 0.5

    optimizer.register_step_pre_hook(before)


class KerasLion(torch.optim.Optimizer):
    """Keras's Lion: `w -= lr * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`."""

    def __init__(self, params, lr=0.001, beta_1=0.9, beta_2=0.99):
        super().__init__(params, {"lr": lr, "beta_1": beta_1, "beta_2": beta_2})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            b1, b2 = group["beta_1"], group["beta_2"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "momentum" not in state:
                    state["momentum"] = torch.zeros_like(p)
                m = state["momentum"]
                p.sub_(torch.sign(m * b1 + p.grad * (1.0 - b1)), alpha=group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1.0 - b2)
        return loss


class KerasLamb(torch.optim.Optimizer):
    """Keras's Lamb: Adam's bias-corrected step `u = m_hat / (sqrt(v_hat) + epsilon)` scaled by
    the trust ratio `||w|| / ||u||` (1 where either norm is 0)."""

    def __init__(self, params, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(params, {"lr": lr, "beta_1": beta_1, "beta_2": beta_2, "epsilon": epsilon})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            b1, b2 = group["beta_1"], group["beta_2"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "step" not in state:
                    state["step"], state["m"], state["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                state["step"] += 1
                t, m, v, g = state["step"], state["m"], state["v"], p.grad
                m.add_((g - m) * (1 - b1))
                v.add_((g * g - v) * (1 - b2))
                update = (m / (1.0 - b1 ** t)) / ((v / (1.0 - b2 ** t)).sqrt() + group["epsilon"])
                w_norm, u_norm = torch.linalg.vector_norm(p), torch.linalg.vector_norm(update)
                one = torch.ones_like(w_norm)
                ratio = torch.where(w_norm > 0, torch.where(u_norm > 0, w_norm / u_norm, one), one)
                p.sub_(ratio * group["lr"] * update)
        return loss
