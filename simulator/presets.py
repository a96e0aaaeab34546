"""Named dataset sizes, the part every simulator shares: one window for all presets, and
the look-up by name that generates a preset once per seed and hands out that dataset.

A simulator lists its own sizes and says how to generate one (``simulator/launchpad/
presets.py``, ``simulator/github/presets.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar

# Holds the 2024 DST changes of New York, London and Sydney.
PRESET_WINDOW = ("2024-01-01", "2024-04-01")

DatasetT = TypeVar("DatasetT")


class PresetCatalog(Generic[DatasetT]):
    """``catalog(name, seed=None)``: the dataset of a named preset; ``seed`` overrides
    the preset's own. ``generate(name, seed)`` builds one; a few are kept, as datasets
    are never changed after generation and sharing one is safe."""

    def __init__(self, sizes: Mapping[str, Any], generate: Callable[[str, int], DatasetT]):
        self.sizes = sizes
        self._generate = lru_cache(maxsize=4)(generate)

    def __call__(self, name: str = "small", seed: int | None = None) -> DatasetT:
        if name not in self.sizes:
            raise KeyError(f"unknown preset {name!r}; known: {', '.join(self.sizes)}")
        return self._generate(name, self.sizes[name].seed if seed is None else seed)
