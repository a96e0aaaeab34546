"""Shared state of one generation run: the seeded RNG, the time span, the pools of
actors and the objects made so far.

Everything random goes through `GenContext.rng`, and nothing iterates over a set,
so one seed always gives the same dataset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from simulator.launchpad.model import Bug, MergeProposal, Person, Project, Question, Team


def words(text: str) -> list[str]:
    """Whitespace-separated words: keeps long vocabularies compact."""
    return text.split()


_WORDS = words(
    """
    crash freeze timeout leak overflow regression typo race deadlock glitch login
    upload download sync export import render parse search cache proxy installer
    updater toolbar dialog settings sidebar keyring locale printer network socket
    thread config plugin theme font cursor scroll resize
    """
)
_VERBS = (
    "fails when",
    "crashes after",
    "hangs during",
    "is slow for",
    "ignores",
    "breaks",
    "mislabels",
    "loses data on",
)
FIRST_BUG_ID = 1001
TAGS = (
    "regression",
    "ui",
    "i18n",
    "performance",
    "security",
    "packaging",
    "docs",
    "papercut",
    "amd64",
    "arm64",
    "focal",
    "jammy",
    "noble",
)


@dataclass
class GenContext:
    rng: random.Random
    window_start: datetime
    window_end: datetime
    data_start: datetime
    data_end: datetime
    activity: int  # average number of events per item
    people: dict[str, Person] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    bugs: dict[int, Bug] = field(default_factory=dict)
    merge_proposals: dict[int, MergeProposal] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)  # people of the sample team
    outsiders: list[str] = field(default_factory=list)  # people outside it
    roles: dict[str, str] = field(default_factory=dict)  # hard-case role -> person
    hard_cases: dict[str, str] = field(default_factory=dict)
    next_bug_id: int = FIRST_BUG_ID
    next_mp_id: int = 501
    next_question_id: int = 301

    # -- identifiers -------------------------------------------------------------

    def new_bug_id(self) -> int:
        self.next_bug_id += 1
        return self.next_bug_id - 1

    def new_mp_id(self) -> int:
        self.next_mp_id += 1
        return self.next_mp_id - 1

    def new_question_id(self) -> int:
        self.next_question_id += 1
        return self.next_question_id - 1

    # -- actors --------------------------------------------------------------------

    def person(self) -> str:
        """Anyone; members of the sample team come up about half the time."""
        pool = self.members if self.rng.random() < 0.5 else self.outsiders
        return self.rng.choice(pool or self.members or self.outsiders)

    def others(self, exclude: str, count: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < count:
            candidate = self.person()
            if candidate != exclude and candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def project(self) -> str:
        return self.rng.choice(list(self.projects))

    # -- time ----------------------------------------------------------------------

    def moment(self, low: datetime, high: datetime) -> datetime:
        """A random instant in [low, high), with microseconds like Launchpad's."""
        span = max(int((high - low).total_seconds() * 1_000_000), 1)
        return low + timedelta(microseconds=self.rng.randrange(span))

    def later_moments(self, after: datetime, count: int, horizon_days: int = 120) -> list[datetime]:
        """`count` sorted instants after `after`, within the horizon and the data span."""
        high = min(after + timedelta(days=horizon_days), self.data_end)
        if high <= after:
            return []
        return sorted(self.moment(after + timedelta(seconds=1), high) for _ in range(count))

    def event_count(self) -> int:
        """How many events an item gets: spread around the configured average."""
        return self.rng.randint(0, 2 * self.activity)

    # -- text ----------------------------------------------------------------------

    def title(self) -> str:
        first, second = self.rng.sample(_WORDS, 2)
        return f"{first.capitalize()} {self.rng.choice(_VERBS)} {second}"

    def paragraph(self) -> str:
        words = [self.rng.choice(_WORDS) for _ in range(self.rng.randint(6, 18))]
        return " ".join(words).capitalize() + "."

    def tags(self) -> list[str]:
        return sorted(self.rng.sample(TAGS, self.rng.randint(0, 3)))


def dst_transitions(zone: str, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) at which `zone` changes its offset.

    The zones the generator uses all change on a whole UTC hour, so an hourly scan
    finds the exact instant.
    """
    tz = ZoneInfo(zone)
    found: list[datetime] = []
    moment = start.replace(minute=0, second=0, microsecond=0)
    previous = moment.astimezone(tz).utcoffset()
    while moment < end:
        moment += timedelta(hours=1)
        offset = moment.astimezone(tz).utcoffset()
        if offset != previous and start <= moment < end:
            found.append(moment)
        previous = offset
    return found
