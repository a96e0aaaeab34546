"""An offline GitHub REST API (api.github.com) for the GitHub source and its tests.

    from simulator.github import GithubSimulator, preset
    with GithubSimulator(preset("small")) as sim:
        sim.service_root            # "http://127.0.0.1:PORT"
        sim.ground_truth("acme/sample-team", "2024-01-01", "2024-04-01", "issues")

See simulator/README.md.
"""

from simulator.github.dataset import GithubDataset, UnknownMember
from simulator.github.ground_truth import EVENT_TYPES, KEY_COLUMNS, ground_truth
from simulator.github.limits import LimitSettings, RequestRecord
from simulator.github.presets import PRESETS, preset
from simulator.github.server import GithubSimulator

__all__ = [
    "EVENT_TYPES",
    "KEY_COLUMNS",
    "PRESETS",
    "GithubDataset",
    "GithubSimulator",
    "LimitSettings",
    "RequestRecord",
    "UnknownMember",
    "ground_truth",
    "preset",
]
