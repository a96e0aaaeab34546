"""Named dataset sizes. Each uses the Launchpad preset of the same name for its people
and teams (so both simulators share them), the window 2024-01-01 .. 2024-04-01 and
seed 1. ``cap`` is ``small`` plus a person above the search API's 1,000-result cap."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from simulator.github.dataset import GithubDataset
from simulator.github.generation import generate
from simulator.launchpad.presets import preset as launchpad_preset
from simulator.presets import PRESET_WINDOW, PresetCatalog


@dataclass(frozen=True)
class PresetSize:
    people: str  # the Launchpad preset whose people and teams are used
    issues: int
    pull_requests: int
    commits: int
    activity: int
    cap_items: int = 0
    seed: int = 1


PRESETS: dict[str, PresetSize] = {
    # Tests and demos: generates in a few hundredths of a second.
    "small": PresetSize("small", issues=60, pull_requests=50, commits=120, activity=6),
    # Above the cap: 1,100 issues, pull requests and commits of one person.
    "cap": PresetSize(
        "small", issues=60, pull_requests=50, commits=120, activity=6, cap_items=1100
    ),
    "medium": PresetSize("medium", issues=1500, pull_requests=1000, commits=3000, activity=8),
    # Benchmarks.
    "large": PresetSize("large", issues=8000, pull_requests=6000, commits=20000, activity=10),
}


def _generate(name: str, seed: int) -> GithubDataset:
    size = asdict(PRESETS[name]) | {"seed": seed}
    people = launchpad_preset(size.pop("people"))
    start, end = PRESET_WINDOW
    return generate(people, **size, start=start, end=end, description=f"preset {name}")


preset = PresetCatalog(PRESETS, _generate)
