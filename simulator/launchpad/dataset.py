"""A whole generated Launchpad: what the server serves and the ground truth counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.launchpad.model import Bug, MergeProposal, Person, Project, Question, Team


@dataclass
class Dataset:
    """A generated Launchpad: what the server serves and the ground truth counts."""

    seed: int
    window_start: datetime
    window_end: datetime
    people: dict[str, Person]
    teams: dict[str, Team]
    projects: dict[str, Project]
    bugs: dict[int, Bug]
    merge_proposals: dict[int, MergeProposal]
    questions: dict[int, Question]
    sample_team: str
    sample_person: str
    # Named hard cases and the item they live on ("bug:12", "mp:3", "question:7", "~name").
    hard_cases: dict[str, str] = field(default_factory=dict)
    description: str = ""
    _participants: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def generate(cls, **kwargs: Any) -> Dataset:
        """Generate a dataset; see simulator.generation.generate for the arguments."""
        from simulator.launchpad.generation import generate

        return generate(**kwargs)

    def is_team(self, name: str) -> bool:
        return name in self.teams

    def exists(self, name: str) -> bool:
        return name in self.people or name in self.teams

    def participants(self, team: str) -> list[str]:
        """Direct and indirect members, people and teams, as Launchpad lists them."""
        if team not in self._participants:
            seen: dict[str, None] = {}
            pending = list(self.teams[team].members)
            while pending:
                name = pending.pop(0)
                if name in seen or name == team:
                    continue
                seen[name] = None
                if name in self.teams:
                    pending.extend(self.teams[name].members)
            self._participants[team] = sorted(seen, key=self._display_sort_key)
        return self._participants[team]

    def actors(self, member: str) -> list[str]:
        """The people whose events a query for `member` counts, sorted by name."""
        if member in self.people:
            return [member]
        if member in self.teams:
            return sorted(n for n in self.participants(member) if n in self.people)
        raise KeyError(f"no person or team named {member!r}")

    def super_teams(self, name: str) -> list[str]:
        """Teams `name` belongs to, directly or not."""
        return sorted(t for t in self.teams if name in self.participants(t))

    def display_name(self, name: str) -> str:
        entity = self.people.get(name) or self.teams.get(name)
        return entity.display_name if entity else name

    def _display_sort_key(self, name: str) -> tuple[str, str]:
        return (self.display_name(name).lower(), name)

    def counts(self) -> dict[str, int]:
        return {
            "people": len(self.people),
            "teams": len(self.teams),
            "projects": len(self.projects),
            "bugs": len(self.bugs),
            "bug_messages": sum(len(b.messages) for b in self.bugs.values()),
            "bug_activity": sum(len(b.activity) for b in self.bugs.values()),
            "merge_proposals": len(self.merge_proposals),
            "mp_comments": sum(len(m.comments) for m in self.merge_proposals.values()),
            "questions": len(self.questions),
            "question_messages": sum(len(q.messages) for q in self.questions.values()),
        }
