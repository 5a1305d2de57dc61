"""Writes for support plans, reviews, handovers and consents. Each runs in one transaction.

Status changes happen only here, each checking the current state. Plans and reviews use optimistic
locking: the caller passes the `lock_version` it read; a stale one raises `StaleEdit` carrying the row
as it is now, so the page can show both versions and lose nothing.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cases.models import Client, ClientStatus, Membership, Role, User
from cases.services import assign_fields
from core.locking import StaleEdit, check_version, locked_row  # noqa: F401 - StaleEdit for callers
from flags.services import client_changed

from .models import Consent, ConsentPurpose, Handover, PlanReview, PlanStatus, ReviewDecision, SupportPlan

PLAN_CONTENT_FIELDS = (
    "starts_on",
    "ends_on",
    "long_term_goal",
    "short_term_goals",
    "support_content",
    "interview_frequency",
    "workplace_visit_frequency",
    "employer_contact_frequency",
    "accommodations",
)
REVIEW_FIELDS = ("reviewed_on", "findings", "client_view", "employer_view", "decision")
HANDOVER_FIELDS = (
    "receiver_name",
    "receiver_kind",
    "contact_person",
    "consent_on",
    "info_shared_on",
    "handed_over_on",
    "content",
    "documents",
)
PLAN_WRITERS = (Role.STAFF, Role.MANAGER)


def _require_role(actor: User, client: Client, *roles):
    if not Membership.objects.filter(user=actor, office_id=client.office_id, role__in=roles).exists():
        raise PermissionDenied


def _require_status(plan: SupportPlan, *statuses):
    if plan.status not in statuses:
        raise ValidationError(
            _("この計画は「%(status)s」のため、この操作はできません。")
            % {"status": plan.get_status_display()}
        )


# --- plans ---


@transaction.atomic
def plan_create(*, actor: User, client: Client, **fields) -> SupportPlan:
    """A new draft. Versions count up per client; an open draft must be finished first."""
    _require_role(actor, client, *PLAN_WRITERS)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # serialise version numbering
    if client.plans.filter(status=PlanStatus.DRAFT).exists():
        raise ValidationError(_("作成中の計画が既にあります。そちらを編集してください。"))
    last = client.plans.aggregate(last=Max("version"))["last"] or 0
    plan = SupportPlan(client=client, version=last + 1, status=PlanStatus.DRAFT, drafted_by=actor)
    assign_fields(plan, fields, PLAN_CONTENT_FIELDS)
    plan._history_user = actor
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_new_version(*, actor: User, plan: SupportPlan) -> SupportPlan:
    """A new draft copying `plan`'s content; the old version stays as it was."""
    content = {name: getattr(plan, name) for name in PLAN_CONTENT_FIELDS}
    return plan_create(actor=actor, client=plan.client, **content)


@transaction.atomic
def plan_update(*, actor: User, plan: SupportPlan, lock_version: int, **fields) -> SupportPlan:
    _require_role(actor, plan.client, *PLAN_WRITERS)
    current = locked_row(SupportPlan, plan.pk, lock_version)
    _require_status(current, PlanStatus.DRAFT)
    assign_fields(current, fields, PLAN_CONTENT_FIELDS)
    current.lock_version += 1
    current._history_user = actor
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def plan_approve(*, actor: User, plan: SupportPlan, approved_on: date) -> SupportPlan:
    """draft → approved, by a service manager (サービス管理責任者) only."""
    _require_role(actor, plan.client, Role.MANAGER)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    _require_status(plan, PlanStatus.DRAFT)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor
    plan.approved_on = approved_on
    plan.lock_version += 1
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def plan_record_consent(*, actor: User, plan: SupportPlan, agreed_on: date) -> SupportPlan:
    """approved → agreed: the client agreed to the plan; it is in effect from this date."""
    _require_role(actor, plan.client, *PLAN_WRITERS)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    _require_status(plan, PlanStatus.APPROVED)
    if plan.approved_on and agreed_on < plan.approved_on:
        raise ValidationError(
            {"agreed_on": _("同意日は承認日（%(d)s）以降にしてください。") % {"d": plan.approved_on}}
        )
    plan.status = PlanStatus.AGREED
    plan.agreed_on = agreed_on
    plan.lock_version += 1
    plan._history_user = actor
    plan.save()
    client_changed(client=plan.client)
    return plan


@transaction.atomic
def plan_record_delivery(*, actor: User, plan: SupportPlan, delivered_on: date) -> SupportPlan:
    """agreed → delivered: the client received a copy."""
    _require_role(actor, plan.client, *PLAN_WRITERS)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    _require_status(plan, PlanStatus.AGREED)
    if delivered_on < plan.agreed_on:
        raise ValidationError(
            {"delivered_on": _("交付日は同意日（%(d)s）以降にしてください。") % {"d": plan.agreed_on}}
        )
    plan.status = PlanStatus.DELIVERED
    plan.delivered_on = delivered_on
    plan.lock_version += 1
    plan._history_user = actor
    plan.save()
    return plan


# --- reviews (モニタリング) ---


@transaction.atomic
def plan_review_complete(*, actor: User, plan: SupportPlan, **fields) -> PlanReview:
    """A manager's review of a plan in effect; "revise" starts a new draft version of the plan."""
    _require_role(actor, plan.client, Role.MANAGER)
    _require_status(plan, PlanStatus.AGREED, PlanStatus.DELIVERED)
    review = PlanReview(plan=plan, reviewer=actor)
    assign_fields(review, fields, REVIEW_FIELDS)
    review._history_user = actor
    review.full_clean()
    review.save()
    if (
        review.decision == ReviewDecision.REVISE
        and not plan.client.plans.filter(status=PlanStatus.DRAFT).exists()
    ):
        plan_new_version(actor=actor, plan=plan)
    client_changed(client=plan.client)
    return review


@transaction.atomic
def plan_review_update(*, actor: User, review: PlanReview, lock_version: int, **fields) -> PlanReview:
    _require_role(actor, review.plan.client, Role.MANAGER)
    current = locked_row(PlanReview, review.pk, lock_version)
    assign_fields(current, fields, REVIEW_FIELDS)
    current.lock_version += 1
    current._history_user = actor
    current.full_clean()
    current.save()
    client_changed(client=current.plan.client)
    return current


# --- handover ---


@transaction.atomic
def case_handover(*, actor: User, client: Client, lock_version: int | None = None, **fields) -> Handover:
    """Record (or update) the client's handover; a handover date ends the service: 引継ぎ済み."""
    _require_role(actor, client, *PLAN_WRITERS)
    handover = Handover.objects.select_for_update().filter(client=client).first() or Handover(
        client=client, recorded_by=actor
    )
    check_version(handover, lock_version)
    assign_fields(handover, fields, HANDOVER_FIELDS)
    errors = {}
    if handover.info_shared_on and not handover.consent_on:
        errors["consent_on"] = _("情報共有の前に、本人の同意日を記録してください。")
    elif handover.info_shared_on and handover.consent_on > handover.info_shared_on:
        errors["info_shared_on"] = _("情報共有日は本人の同意日以降にしてください。")
    if handover.handed_over_on and handover.consent_on and handover.handed_over_on < handover.consent_on:
        errors["handed_over_on"] = _("引継ぎ日は本人の同意日以降にしてください。")
    if errors:
        raise ValidationError(errors)
    handover._history_user = actor
    handover.full_clean()
    handover.save()
    if handover.handed_over_on and client.status != ClientStatus.HANDED_OVER:
        client.status = ClientStatus.HANDED_OVER
        client._history_user = actor
        client.save(update_fields=["status", "updated_at"])
    client_changed(client=client)
    return handover


# --- consents ---


@transaction.atomic
def consent_record(
    *, actor: User, client: Client, purpose: str, given_on: date, document_note: str = ""
) -> Consent:
    _require_role(actor, client, *PLAN_WRITERS)
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("同意の目的を選んでください。")})
    consent = Consent(
        client=client, purpose=purpose, given_on=given_on, document_note=document_note, recorded_by=actor
    )
    consent._history_user = actor
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: date) -> Consent:
    _require_role(actor, consent.client, *PLAN_WRITERS)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("この同意は既に撤回されています。"))
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("撤回日は同意日以降にしてください。")})
    consent.withdrawn_on = withdrawn_on
    consent._history_user = actor
    consent.save(update_fields=["withdrawn_on"])
    return consent
