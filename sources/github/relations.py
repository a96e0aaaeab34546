"""Which timeline events become which rows: the contract's tables
(``spec/github-events.md``, "Issues" and "Pull requests"). An event not named here
(``mentioned``, ``subscribed``, ``referenced``, ``cross-referenced``, ``committed``,
``review_dismissed``, project events, ...) is not emitted."""

# Timeline events per relation type (contract, "Issues" and "Pull requests").
ISSUE_EVENTS = {
    "closed": "closed",
    "reopened": "reopened",
    "assigned": "assignee_changed",
    "unassigned": "assignee_changed",
    "labeled": "labels_changed",
    "unlabeled": "labels_changed",
    **dict.fromkeys(
        (
            "renamed",
            "milestoned",
            "demilestoned",
            "locked",
            "unlocked",
            "pinned",
            "unpinned",
            "transferred",
            "marked_as_duplicate",
            "unmarked_as_duplicate",
        ),
        "changed",
    ),
}
PULL_REQUEST_EVENTS = {
    **ISSUE_EVENTS,
    "review_requested": "review_requested",
    "review_request_removed": "review_requested",
    "merged": "merged",
    **dict.fromkeys(
        (
            "ready_for_review",
            "convert_to_draft",
            "base_ref_changed",
            "head_ref_force_pushed",
            "head_ref_deleted",
            "head_ref_restored",
            "auto_merge_enabled",
            "auto_merge_disabled",
        ),
        "changed",
    ),
}
REVIEW_STATES = {"approved", "changes_requested", "commented", "dismissed"}
