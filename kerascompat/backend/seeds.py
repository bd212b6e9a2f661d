"""Seeds for keras.random and the random keras.ops: Keras's SeedGenerator and torch generators.

An int seed gives the same generator state at every call; a SeedGenerator a new, reproducible
one each time; None means torch's global generator.
"""

import torch

_MIX = 0x9E3779B97F4A7C15  # odd 64-bit constant spreading (seed, counter) pairs over generator seeds


class SeedGenerator:
    """A reproducible source of seeds: every `next()` gives a new one.

    `state` is a torch int64 tensor [seed, counter] (Keras keeps the same pair in a variable).
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise TypeError(f"SeedGenerator() got unexpected keyword arguments {sorted(kwargs)}.")
        if seed is None:
            seed = int(torch.randint(0, 2 ** 31 - 1, ()).item())
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: `seed`={seed!r}")
        self.name = name or "seed_generator"
        self._initial_seed = seed
        self.state = torch.tensor([seed, 0], dtype=torch.int64)

    def next(self, ordered=True):
        """The next seed (an int); advances the counter."""
        seed, counter = (int(v) for v in self.state.tolist())
        self.state[1] += 1
        return (seed * _MIX + counter * 0x632BE59BD9B4E019 + 1) % (2 ** 63)

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name!r} seed={self._initial_seed}>"


def seed_value(seed):
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, bool) or not isinstance(seed, int):
        if isinstance(seed, torch.Tensor) and seed.numel() <= 2 and not seed.dtype.is_floating_point:
            return int(seed.reshape(-1)[0]) * _MIX % (2 ** 63)
        raise ValueError("Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
                         f"Received: `seed`={seed!r}")
    return seed % (2 ** 63)


def generator(seed, device=None):
    """A torch.Generator for an int seed or a SeedGenerator's next seed; None for seed=None."""
    value = seed_value(seed)
    if value is None:
        return None
    return torch.Generator(device=device or "cpu").manual_seed(value)
