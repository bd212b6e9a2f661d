"""Dropout masks shared by Dropout and the recurrent layers."""

import torch


class DropoutMasks:
    """Bernoulli keep-masks scaled by 1 / (1 - rate). With a `seed`, each device gets its own
    seeded torch.Generator, so the sequence of masks is reproducible; without one, masks come
    from torch's global generator."""

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

    def __call__(self, shape, rate, reference):
        keep = 1.0 - rate
        mask = torch.empty(shape, dtype=reference.dtype, device=reference.device)
        mask.bernoulli_(keep, generator=self._generator(reference.device))
        return mask / keep
