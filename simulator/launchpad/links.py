"""Where things live: API paths below a version root, and human web links.

Web links do not depend on the simulator's port, so the ground truth can state them.
They point at launchpad.test, Launchpad's own development host name, so nobody
mistakes simulated data for production.
"""

from __future__ import annotations

from simulator.launchpad.model import Bug, MergeProposal, Question

WEB_ROOT = "https://launchpad.test/"
BUGS_WEB_ROOT = "https://bugs.launchpad.test/"
CODE_WEB_ROOT = "https://code.launchpad.test/"
ANSWERS_WEB_ROOT = "https://answers.launchpad.test/"


def person_path(name: str) -> str:
    return f"~{name}"


def bug_path(bug_id: int) -> str:
    return f"bugs/{bug_id}"


def bug_task_path(target: str, bug_id: int) -> str:
    return f"{target}/+bug/{bug_id}"


def bug_message_path(bug_id: int, index: int) -> str:
    return f"bugs/{bug_id}/comments/{index}"


def bug_activity_path(bug_id: int, index: int) -> str:
    return f"bugs/{bug_id}/activity/{index}"


def question_path(question: Question) -> str:
    return f"{question.target}/+question/{question.id}"


def question_message_path(question: Question, index: int) -> str:
    # Launchpad numbers question messages from 1 in their links.
    return f"{question_path(question)}/messages/{index + 1}"


def mp_comment_path(mp: MergeProposal, index: int) -> str:
    return f"{mp.path}/comments/{index}"


def mp_vote_path(mp: MergeProposal, index: int) -> str:
    return f"{mp.path}/+review/{index}"


def person_web_link(name: str) -> str:
    return f"{WEB_ROOT}~{name}"


def project_web_link(name: str) -> str:
    return f"{WEB_ROOT}{name}"


def bug_web_link(bug: Bug) -> str:
    return f"{BUGS_WEB_ROOT}bugs/{bug.id}"


def bug_task_web_link(target: str, bug_id: int) -> str:
    return f"{BUGS_WEB_ROOT}{target}/+bug/{bug_id}"


def mp_web_link(mp: MergeProposal) -> str:
    return f"{CODE_WEB_ROOT}{mp.path}"


def code_web_link(unique_name: str) -> str:
    return f"{CODE_WEB_ROOT}{unique_name}"


def question_web_link(question: Question) -> str:
    return f"{ANSWERS_WEB_ROOT}{question_path(question)}"
