"""Questions and their messages, following Launchpad's answer-tracker workflow.

Each message carries the action taken and the status it left the question in, so
the question's status is always the last message's new_status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.launchpad.generation.context import GenContext
from simulator.launchpad.model import Question, QuestionMessage
from simulator.launchpad.vocab import (
    ACTION_ANSWER,
    ACTION_COMMENT,
    ACTION_CONFIRM,
    ACTION_EXPIRE,
    ACTION_GIVE_INFO,
    ACTION_REJECT,
    ACTION_REOPEN,
    ACTION_REQUEST_INFO,
    ACTION_SET_STATUS,
    JANITOR,
    QUESTION_STATUSES,
)

# What the asker may do in each status, and what a helper may do.
_OWNER_MOVES = {
    "Open": ((ACTION_COMMENT, "Open"),),
    "Needs information": ((ACTION_GIVE_INFO, "Open"),),
    "Answered": ((ACTION_CONFIRM, "Solved"), (ACTION_GIVE_INFO, "Open")),
    "Solved": ((ACTION_REOPEN, "Open"), (ACTION_COMMENT, "Solved")),
    "Expired": ((ACTION_REOPEN, "Open"),),
    "Invalid": ((ACTION_COMMENT, "Invalid"),),
}
_HELPER_MOVES = {
    "Open": ((ACTION_ANSWER, "Answered"), (ACTION_REQUEST_INFO, "Needs information")),
    "Needs information": ((ACTION_ANSWER, "Answered"), (ACTION_REQUEST_INFO, "Needs information")),
    "Answered": ((ACTION_ANSWER, "Answered"), (ACTION_COMMENT, "Answered")),
    "Solved": ((ACTION_COMMENT, "Solved"),),
    "Expired": ((ACTION_COMMENT, "Expired"),),
    "Invalid": ((ACTION_COMMENT, "Invalid"),),
}


def new_question(
    ctx: GenContext, owner: str, created: datetime, project: str | None = None
) -> Question:
    question = Question(
        id=ctx.new_question_id(),
        owner=owner,
        title=f"How do I stop the {ctx.title().lower()}?",
        description=ctx.paragraph(),
        target=project or ctx.project(),
        date_created=created,
        status="Open",
        subscribers=[owner],
    )
    ctx.questions[question.id] = question
    return question


@dataclass
class QuestionEditor:
    ctx: GenContext
    question: Question

    def say(self, when: datetime, who: str, action: str, new_status: str) -> None:
        question = self.question
        subject = f"Re: {question.title}"
        content = self.ctx.paragraph()
        question.messages.append(QuestionMessage(who, when, action, new_status, subject, content))
        question.status = new_status
        if who != JANITOR:
            question.subscribers.append(who)
        if action in (ACTION_CONFIRM, ACTION_REJECT):
            answer = self._last_answer() if action == ACTION_CONFIRM else None
            question.answer_index = answer if answer is not None else len(question.messages) - 1
            question.answerer = question.messages[question.answer_index].owner
            question.date_solved = when
        elif action == ACTION_REOPEN:
            question.answerer, question.answer_index, question.date_solved = None, None, None

    def _last_answer(self) -> int | None:
        for index in range(len(self.question.messages) - 2, -1, -1):
            if self.question.messages[index].action == ACTION_ANSWER:
                return index
        return None

    def owner_move(self, when: datetime) -> None:
        action, status = self.ctx.rng.choice(_OWNER_MOVES[self.question.status])
        self.say(when, self.question.owner, action, status)

    def helper_move(self, when: datetime, helper: str) -> None:
        rng = self.ctx.rng
        roll = rng.random()
        if roll < 0.04:
            self.say(when, helper, ACTION_REJECT, "Invalid")
        elif roll < 0.08:
            others = [s for s in QUESTION_STATUSES if s != self.question.status]
            self.say(when, helper, ACTION_SET_STATUS, rng.choice(others))
        elif roll < 0.2:
            self.say(when, helper, ACTION_COMMENT, self.question.status)
        else:
            action, status = rng.choice(_HELPER_MOVES[self.question.status])
            self.say(when, helper, action, status)

    def expire(self, when: datetime) -> None:
        self.say(when, JANITOR, ACTION_EXPIRE, "Expired")


def random_question(ctx: GenContext) -> Question:
    rng = ctx.rng
    owner = ctx.person()
    question = new_question(ctx, owner, ctx.moment(ctx.data_start, ctx.data_end))
    editor = QuestionEditor(ctx, question)
    helpers = ctx.others(owner, rng.randint(1, 3))
    if rng.random() < 0.2:
        question.assignee = helpers[0]
    moments = ctx.later_moments(question.date_created, ctx.event_count())
    for when in moments:
        if rng.random() < 0.35:
            editor.owner_move(when)
        else:
            editor.helper_move(when, rng.choice(helpers))
    last = moments[-1] if moments else question.date_created
    quiet_until = last + timedelta(days=15)
    expirable = question.status in ("Open", "Needs information") and quiet_until < ctx.data_end
    if expirable and rng.random() < 0.3:
        editor.expire(quiet_until)
    return question
