"""A known dataset for the report tests: the example roster, and sample-team's Launchpad
activity (the simulator's ground truth of all three flows) stored under the roster's
employee ids, as the identity step stores it."""

from __future__ import annotations

from models.database import Database
from models.roster.file_source import read_roster_file
from models.roster.store import RosterStore
from models.settings import PROJECT_ROOT
from simulator.launchpad import ground_truth, preset

START, END = "2024-01-01", "2024-04-01"
FLOWS = ("bugs", "merge_proposals", "questions")


def load_sample(database: Database) -> int:
    """Import the example roster and store the events; returns how many were stored."""
    people = read_roster_file(PROJECT_ROOT / "examples" / "roster.yaml")
    RosterStore(database).replace_all(people)
    employee_of = {p.login("launchpad"): p.employee_id for p in people if p.login("launchpad")}
    events = []
    for flow in FLOWS:
        for event in ground_truth(preset("small"), "sample-team", START, END, flow):
            login = event["employee_id"]
            events.append({**event, "employee_id": employee_of.get(login, login)})
    database.upsert_events(events)
    return len(events)
