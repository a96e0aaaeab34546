"""What every generator shares: the RNG, id sequences, the dataset being built."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from simulator.github.dataset import GithubDataset
from simulator.github.model import Item, Repo, TimelineEntry

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)

LABELS = ("bug", "enhancement", "documentation", "good first issue", "help wanted", "triage")
MILESTONES = ("v1.0", "v1.1", "v2.0", "backlog")
_WORDS = """fix crash parser cache timeout retry config docs flaky test widget gadget memory
leak speed up refactor login token search paging encoding unicode build release lint"""
WORDS = _WORDS.split()


class GenContext:
    def __init__(self, dataset: GithubDataset, seed: int):
        self.ds = dataset
        self.rng = random.Random(seed)
        self._next_id = {"user": 1000, "event": 10_000_000, "comment": 500_000_000,
                         "review": 700_000_000, "review_comment": 900_000_000,
                         "item": 2_000_000_000, "repo": 100_000, "team": 5000}  # fmt: skip
        self._numbers: dict[str, int] = {}

    def new_id(self, space: str) -> int:
        self._next_id[space] += self.rng.randint(1, 9)
        return self._next_id[space]

    def next_number(self, repo: Repo) -> int:
        self._numbers[repo.full_name] = self._numbers.get(repo.full_name, 0) + 1
        return self._numbers[repo.full_name]

    def sha(self, *parts: object) -> str:
        return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()

    def title(self) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 7))).capitalize()

    def instant(self, low: datetime, high: datetime) -> datetime:
        """A whole second in [low, high): GitHub's times have no fractions."""
        span = int((high - low).total_seconds())
        return low + timedelta(seconds=self.rng.randrange(max(span, 1)))

    def new_item(self, kind: str, repo: Repo, author: str, created: datetime) -> Item:
        number = self.next_number(repo)
        item = Item(
            kind=kind,
            repo=repo,
            number=number,
            id=self.new_id("item"),
            title=self.title(),
            body=f"{self.title()}.",
            user=author,
            created_at=created,
        )
        if kind == "pr":
            item.pr_id = self.new_id("item")
            item.head_ref = f"{author.lower()}/change-{number}"
        self.ds.items[(repo.full_name.lower(), number)] = item
        return item

    def event(
        self, item: Item, name: str, actor: str | None, at: datetime, **details
    ) -> TimelineEntry:
        space = {"commented": "comment", "reviewed": "review"}.get(name, "event")
        entry = TimelineEntry(name, self.new_id(space), actor, at, details)
        item.timeline.append(entry)
        return entry
