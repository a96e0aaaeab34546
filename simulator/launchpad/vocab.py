"""Launchpad's enumerations, spelled exactly as the web service spells them.

The titles here are what Launchpad serves in JSON and accepts as named-operation
parameters; a flow that filters on them must use the same strings.
"""

from __future__ import annotations

# Bug task statuses (BugTaskStatus), in Launchpad's order.
BUG_TASK_STATUSES: tuple[str, ...] = (
    "New",
    "Incomplete",
    "Opinion",
    "Invalid",
    "Won't Fix",
    "Expired",
    "Confirmed",
    "Triaged",
    "In Progress",
    "Deferred",
    "Fix Committed",
    "Fix Released",
    "Does Not Exist",
    "Unknown",
)
# searchTasks also accepts these two (BugTaskStatusSearch); both mean "Incomplete" here.
INCOMPLETE_SEARCH_ALIASES: tuple[str, ...] = (
    "Incomplete (with response)",
    "Incomplete (without response)",
)
# What searchTasks searches when no status is given: open work only.
DEFAULT_SEARCH_BUG_TASK_STATUSES: tuple[str, ...] = (
    "New",
    "Incomplete",
    "Confirmed",
    "Triaged",
    "In Progress",
    "Fix Committed",
)
CLOSED_BUG_TASK_STATUSES: tuple[str, ...] = (
    "Fix Released",
    "Invalid",
    "Won't Fix",
    "Expired",
    "Opinion",
)

# Highest first: the order searchTasks sorts by default ("-importance").
BUG_IMPORTANCES: tuple[str, ...] = (
    "Critical",
    "High",
    "Medium",
    "Low",
    "Wishlist",
    "Undecided",
    "Unknown",
)

INFORMATION_TYPES: tuple[str, ...] = (
    "Public",
    "Public Security",
    "Private Security",
    "Private",
    "Proprietary",
    "Embargoed",
)
# Anonymous clients only see public bugs, so the generator only makes these.
PUBLIC_INFORMATION_TYPES: tuple[str, ...] = ("Public", "Public Security")

MERGE_PROPOSAL_STATUSES: tuple[str, ...] = (
    "Work in progress",
    "Needs review",
    "Approved",
    "Rejected",
    "Merged",
    "Code failed to merge",
    "Queued",
    "Superseded",
)
# getMergeProposals without a status; getRequestedReviews without a status.
DEFAULT_MERGE_PROPOSAL_STATUSES: tuple[str, ...] = ("Work in progress", "Needs review", "Approved")
DEFAULT_REQUESTED_REVIEW_STATUSES: tuple[str, ...] = ("Needs review",)

REVIEW_VOTES: tuple[str, ...] = (
    "Approve",
    "Needs Fixing",
    "Needs Information",
    "Abstain",
    "Disapprove",
    "Needs Resubmitting",
)

QUESTION_STATUSES: tuple[str, ...] = (
    "Open",
    "Needs information",
    "Answered",
    "Solved",
    "Expired",
    "Invalid",
)
DEFAULT_QUESTION_SEARCH_STATUSES: tuple[str, ...] = (
    "Open",
    "Needs information",
    "Answered",
    "Solved",
)
QUESTION_PARTICIPATIONS: tuple[str, ...] = (
    "Owner",
    "Subscriber",
    "Assignee",
    "Commenter",
    "Answerer",
)
QUESTION_SORTS: tuple[str, ...] = (
    "by relevancy",
    "by status",
    "newest first",
    "oldest first",
    "recently updated first",
)

# Question message actions (QuestionAction titles).
ACTION_REQUEST_INFO = "Request for more information"
ACTION_GIVE_INFO = "Give more information"
ACTION_COMMENT = "Comment"
ACTION_ANSWER = "Answer"
ACTION_CONFIRM = "Confirm"
ACTION_REJECT = "Reject"
ACTION_EXPIRE = "Expire"
ACTION_REOPEN = "Reopen"
ACTION_SET_STATUS = "Change status"
QUESTION_ACTIONS: tuple[str, ...] = (
    ACTION_REQUEST_INFO,
    ACTION_GIVE_INFO,
    ACTION_COMMENT,
    ACTION_ANSWER,
    ACTION_CONFIRM,
    ACTION_REJECT,
    ACTION_EXPIRE,
    ACTION_REOPEN,
    ACTION_SET_STATUS,
)

# Time zones people get; None means "never set". The DST zones matter to the
# flows, which convert event times into the actor's zone.
TIME_ZONES: tuple[str | None, ...] = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "America/Sao_Paulo",
    None,
)

# What Launchpad serves in place of a field the client may not read.
REDACTED = "tag:launchpad.net:2008:redacted"

# The celebrity that writes "Expire" question messages.
JANITOR = "janitor"
