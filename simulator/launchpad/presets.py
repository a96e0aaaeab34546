"""Named dataset sizes for demos, tests and benchmarks.

Every preset uses the window 2024-01-01 .. 2024-04-01 (which holds the 2024 DST
changes of New York, London and Sydney) and the team ``sample-team``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from simulator.launchpad.dataset import Dataset
from simulator.presets import PRESET_WINDOW, PresetCatalog


@dataclass(frozen=True)
class PresetSize:
    people: int
    teams: int
    bugs: int
    merge_proposals: int
    questions: int
    activity: int
    seed: int = 1


PRESETS: dict[str, PresetSize] = {
    # Tests and demos: generates in a few milliseconds.
    "small": PresetSize(people=40, teams=6, bugs=60, merge_proposals=40, questions=40, activity=6),
    # Interactive runs with real paging on every collection.
    "medium": PresetSize(
        people=120, teams=12, bugs=1500, merge_proposals=600, questions=600, activity=8
    ),
    # Benchmarks: tens of thousands of events for sample-team in the window.
    "large": PresetSize(
        people=300, teams=20, bugs=12000, merge_proposals=5000, questions=5000, activity=10
    ),
}


def _generate(name: str, seed: int) -> Dataset:
    size = asdict(PRESETS[name]) | {"seed": seed}
    start, end = PRESET_WINDOW
    return Dataset.generate(**size, start=start, end=end, description=f"preset {name}")


preset = PresetCatalog(PRESETS, _generate)
