"""An offline Launchpad web service that launchpadlib cannot tell from the real one.

Like moto for AWS: demos, tests and benchmarks run against it with generated data
whose ground truth is known, and with latency and failures injected on demand.

    from simulator.launchpad import LaunchpadSimulator, preset
    with LaunchpadSimulator(preset("small"), page_size=5) as sim:
        sim.service_root            # "http://127.0.0.1:PORT/"
        sim.ground_truth("sample-team", "2024-01-01", "2024-04-01", "bugs")

See simulator/launchpad/README.md.
"""

from simulator.faults import FaultSettings
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.ground_truth import EVENT_TYPES, ground_truth
from simulator.launchpad.presets import PRESET_WINDOW, PRESETS, preset
from simulator.launchpad.server import LaunchpadSimulator

__all__ = [
    "EVENT_TYPES",
    "PRESETS",
    "PRESET_WINDOW",
    "Dataset",
    "FaultSettings",
    "LaunchpadSimulator",
    "ground_truth",
    "preset",
]
