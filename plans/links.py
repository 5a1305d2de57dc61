"""Where each deadline is fixed: the one map from a kind to the page where the missing record is made.
The dashboard's rows and the flags both link through it (flags.links adds the month kinds)."""

from core.links import path_format

from .deadlines import DeadlineKind


def _review(client_id: int, object_id: int | None) -> str:
    if object_id:
        return path_format("plans:review_create", "id").format(object_id)
    return path_format("plans:plan_versions", "id").format(client_id)


def _plan(client_id: int, object_id: int | None) -> str:
    if object_id:
        return path_format("plans:plan_detail", "id").format(object_id)
    return path_format("plans:plan_versions", "id").format(client_id)


def _plans(client_id: int, object_id: int | None) -> str:
    return path_format("plans:plan_versions", "id").format(client_id)


def _new_decision(client_id: int, object_id: int | None) -> str:
    return path_format("cases:decision_create", "id").format(client_id)


def _handover(client_id: int, object_id: int | None) -> str:
    return path_format("plans:handover_edit", "id").format(client_id)


FIX_PAGES = {
    DeadlineKind.REVIEW_OVERDUE: _review,
    DeadlineKind.REVIEW_DUE_SOON: _review,
    DeadlineKind.PLAN_MISSING: _plans,
    DeadlineKind.PLAN_AWAITING_APPROVAL: _plan,
    DeadlineKind.PLAN_AWAITING_CONSENT: _plan,
    DeadlineKind.PLAN_AWAITING_DELIVERY: _plan,
    DeadlineKind.DECISION_RENEWAL: _new_decision,
    DeadlineKind.DECISION_MISSING: _new_decision,
    DeadlineKind.APPLICATION_PREPARATION: _new_decision,
    DeadlineKind.HANDOVER_SHARING: _handover,
}


def deadline_fix_url(kind: str, client_id: int, object_id: int | None = None) -> str:
    return FIX_PAGES[kind](client_id, object_id)
