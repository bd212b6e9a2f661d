"""Seeded random tensors for the random layers (Dropout and its relatives, the recurrent layers)."""

import torch


class SeededGenerators:
    """With a `seed`, one seeded torch.Generator per device, so the sequence of random tensors a
    layer draws is reproducible; without one, None (torch's global generator)."""

    def __init__(self, seed=None):
        self.seed = seed
        self._generators = {}

    def _generator(self, device):
        if self.seed is None:
            return None
        generator = self._generators.get(device)
        if generator is None:
            generator = torch.Generator(device=device).manual_seed(self.seed)
            self._generators[device] = generator
        return generator

    def normal(self, shape, reference, stddev=1.0, mean=0.0):
        """Normal samples of `shape` with `reference`'s dtype and device."""
        out = torch.empty(shape, dtype=reference.dtype, device=reference.device)
        return out.normal_(mean, stddev, generator=self._generator(reference.device))

    def uniform(self, shape, reference):
        """Uniform [0, 1) samples of `shape` with `reference`'s dtype and device."""
        out = torch.empty(shape, dtype=reference.dtype, device=reference.device)
        return out.uniform_(0.0, 1.0, generator=self._generator(reference.device))


class DropoutMasks(SeededGenerators):
    """Bernoulli keep-masks scaled by 1 / (1 - rate)."""

    def __call__(self, shape, rate, reference):
        keep = 1.0 - rate
        mask = torch.empty(shape, dtype=reference.dtype, device=reference.device)
        mask.bernoulli_(keep, generator=self._generator(reference.device))
        return mask / keep
