"""Writes for support plans, reviews, handovers and consents. Each runs in one transaction.

Status changes happen only here, each checking the current state. Plans and reviews use optimistic
locking: the caller passes the `lock_version` it read; a stale one raises `StaleEdit` carrying the row
as it is now, so the page can show both versions and lose nothing.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import locks
from cases.models import Client, ClientStatus, Membership, User
from cases.signals import announce
from core.locking import StaleEdit, check_version, locked_row  # noqa: F401 - StaleEdit for callers
from core.permissions import REVIEW, WRITE_PLANS, roles_with
from core.services import assign_fields

from .coverage import locked_month_coverage
from .models import (
    PLAN_CONTENT_FIELDS,
    Consent,
    ConsentPurpose,
    Handover,
    PlanReview,
    PlanStatus,
    ReviewDecision,
    SupportPlan,
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
PLAN_WRITERS = roles_with(WRITE_PLANS)
REVIEWERS = roles_with(REVIEW)


def _require_role(actor: User, client: Client, *roles):
    if not Membership.objects.filter(user=actor, office_id=client.office_id, role__in=roles).exists():
        raise PermissionDenied


def _reason_for_locked_months(client: Client, reason: str, *, plan=None, review=None) -> str:
    """The change reason to keep: required (a Japanese message when missing) where the change alters
    whether a month locked for billing had a plan in effect (cases.locks)."""
    before = locked_month_coverage(client)
    if before and before != locked_month_coverage(client, plan=plan, review=review):
        return locks.require_reason(reason)
    return locks.check_reason(reason)


def _keep_reason(record, reason: str) -> None:
    if reason:
        record._change_reason = reason


def _require_status(plan: SupportPlan, *statuses):
    if plan.withdrawn:
        raise ValidationError(_("取り消された計画は変更できません。"))
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
    if client.plans.filter(status=PlanStatus.DRAFT, withdrawn_at__isnull=True).exists():
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
def plan_approve(*, actor: User, plan: SupportPlan, approved_on: date, reason: str = "") -> SupportPlan:
    """draft → approved, by a service manager (サービス管理責任者) only."""
    _require_role(actor, plan.client, *REVIEWERS)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    _require_status(plan, PlanStatus.DRAFT)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor
    plan.approved_on = approved_on
    plan.lock_version += 1
    plan._history_user = actor
    _keep_reason(plan, locks.check_reason(reason))
    plan.save()
    return plan


@transaction.atomic
def plan_record_consent(*, actor: User, plan: SupportPlan, agreed_on: date, reason: str = "") -> SupportPlan:
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
    _keep_reason(plan, _reason_for_locked_months(plan.client, reason, plan=plan))
    plan.save()
    announce(plan.client)
    return plan


@transaction.atomic
def plan_record_delivery(*, actor: User, plan: SupportPlan, delivered_on: date, reason: str = "") -> SupportPlan:
    """agreed → delivered: the client received a copy. Delivered on a day that puts the plan in effect
    for a month locked for billing: only with a written reason."""
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
    _keep_reason(plan, _reason_for_locked_months(plan.client, reason, plan=plan))
    plan.save()
    return plan


# --- reviews (モニタリング) ---


@transaction.atomic
def plan_review_complete(*, actor: User, plan: SupportPlan, reason: str = "", **fields) -> PlanReview:
    """A manager's review of a plan in effect; "revise" starts a new draft version of the plan. A review
    dated so that a month locked for billing gets (or loses) its plan in effect needs a written reason."""
    _require_role(actor, plan.client, *REVIEWERS)
    if plan.withdrawn:
        raise ValidationError(_("取り消された計画はモニタリングできません。"))
    _require_status(plan, PlanStatus.AGREED, PlanStatus.DELIVERED)
    review = PlanReview(plan=plan, reviewer=actor)
    assign_fields(review, fields, REVIEW_FIELDS)
    review._history_user = actor
    review.full_clean()
    _keep_reason(review, _reason_for_locked_months(plan.client, reason, review=review))
    review.save()
    if (
        review.decision == ReviewDecision.REVISE
        and not plan.client.plans.filter(status=PlanStatus.DRAFT, withdrawn_at__isnull=True).exists()
    ):
        plan_new_version(actor=actor, plan=plan)
    announce(plan.client)
    return review


@transaction.atomic
def plan_review_update(
    *, actor: User, review: PlanReview, lock_version: int, reason: str = "", **fields
) -> PlanReview:
    """Change a review; a change of its day that alters a locked month's plan in effect needs a reason."""
    _require_role(actor, review.plan.client, *REVIEWERS)
    current = locked_row(PlanReview, review.pk, lock_version)
    if current.withdrawn:
        raise ValidationError(_("取り消された記録は変更できません。"))
    assign_fields(current, fields, REVIEW_FIELDS)
    current.lock_version += 1
    current._history_user = actor
    current.full_clean()
    _keep_reason(current, _reason_for_locked_months(current.plan.client, reason, review=current))
    current.save()
    announce(current.plan.client)
    return current


@transaction.atomic
def plan_withdraw(*, actor: User, plan: SupportPlan, reason: str) -> SupportPlan:
    """Withdraw a plan version entered by mistake (サービス管理責任者): kept with the reason, shown as
    withdrawn, and no longer a plan in effect for any month or deadline."""
    _require_role(actor, plan.client, *REVIEWERS)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    plan.mark_withdrawn(actor=actor, reason=reason)
    plan.save()
    announce(plan.client)
    return plan


@transaction.atomic
def plan_review_withdraw(*, actor: User, review: PlanReview, reason: str) -> PlanReview:
    """Withdraw a review entered by mistake: kept with the reason, no longer counted as a review."""
    _require_role(actor, review.plan.client, *REVIEWERS)
    review = PlanReview.objects.select_for_update().get(pk=review.pk)
    review.mark_withdrawn(actor=actor, reason=reason)
    review.save()
    announce(review.plan.client)
    return review


# --- handover ---


@transaction.atomic
def case_handover(*, actor: User, client: Client, lock_version: int | None = None, **fields) -> Handover:
    """Record (or update) the client's handover; a handover date ends the service: 引継ぎ済み."""
    _require_role(actor, client, *PLAN_WRITERS)
    handover = Handover.objects.select_for_update().filter(client=client).first() or Handover(
        client=client, recorded_by=actor
    )
    recorded_again = handover.withdrawn
    if recorded_again:  # the withdrawn entry stays in the row's history; this one starts afresh
        for name in HANDOVER_FIELDS:
            setattr(handover, name, handover._meta.get_field(name).get_default())
        handover.withdrawn_at, handover.withdrawn_by, handover.withdrawal_reason = None, None, ""
        handover.recorded_by = actor
        handover._change_reason = _("取消後に引継ぎを記録し直し")
    else:
        check_version(handover, lock_version)
    assign_fields(handover, fields, HANDOVER_FIELDS)
    register = handover_consent(client)
    if handover.consent_on is None and register is not None:
        handover.consent_on = register.given_on  # the register's date stands for the form's blank
    errors = _consent_date_errors(handover.consent_on)
    if "given_on" in errors:
        errors = {"consent_on": errors["given_on"]}
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
    if handover.consent_on:
        _write_handover_consent(actor=actor, client=client, consent_on=handover.consent_on)
    if handover.handed_over_on and client.status != ClientStatus.HANDED_OVER:
        client.status = ClientStatus.HANDED_OVER
        client._history_user = actor
        client.save(update_fields=["status", "updated_at"])
    announce(client)
    return handover


@transaction.atomic
def handover_withdraw(*, actor: User, handover: Handover, reason: str) -> Handover:
    """Withdraw a handover entered by mistake (サービス管理責任者): kept with the reason, shown as withdrawn,
    no longer read by the deadlines; a client it marked 引継ぎ済み is in service (利用中) again."""
    _require_role(actor, handover.client, *REVIEWERS)
    handover = Handover.objects.select_for_update().select_related("client").get(pk=handover.pk)
    handover.mark_withdrawn(actor=actor, reason=reason)
    handover.save()
    client = handover.client
    if handover.handed_over_on and client.status == ClientStatus.HANDED_OVER:
        client.status = ClientStatus.ACTIVE
        client._history_user = actor
        client._change_reason = handover.withdrawal_reason
        client.save(update_fields=["status", "updated_at"])
    announce(client)
    return handover


# --- consents ---


def _consent_date_errors(given_on: date | None, withdrawn_on: date | None = None) -> dict:
    """Consent dates are facts of the past: never in the future, a withdrawal never before the consent."""
    today = timezone.localdate()
    errors = {}
    if given_on and given_on > today:
        errors["given_on"] = [_("同意日に未来の日付は入力できません。")]
    if withdrawn_on and withdrawn_on > today:
        errors["withdrawn_on"] = [_("撤回日に未来の日付は入力できません。")]
    elif withdrawn_on and given_on and withdrawn_on < given_on:
        errors["withdrawn_on"] = [_("撤回日は同意日以降にしてください。")]
    return errors


@transaction.atomic
def consent_record(
    *, actor: User, client: Client, purpose: str, given_on: date, document_note: str = ""
) -> Consent:
    _require_role(actor, client, *PLAN_WRITERS)
    errors = _consent_date_errors(given_on)
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("同意の目的を選んでください。")]
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        client=client, purpose=purpose, given_on=given_on, document_note=document_note, recorded_by=actor
    )
    consent._history_user = actor
    consent.full_clean()
    consent.save()
    return consent


def _require_reason(reason: str, message: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": message})
    return reason.strip()


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: date, reason: str = "") -> Consent:
    """The client withdrew the consent on `withdrawn_on`: recorded with the reason, kept in history."""
    _require_role(actor, consent.client, *PLAN_WRITERS)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _refuse_withdrawn_consent(consent)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("この同意は既に撤回されています。"))
    errors = _consent_date_errors(consent.given_on, withdrawn_on)
    if errors:
        raise ValidationError(errors)
    consent.withdrawn_on = withdrawn_on
    consent._history_user = actor
    consent._change_reason = _require_reason(reason, _("撤回の理由を入力してください。"))
    consent.save(update_fields=["withdrawn_on"])
    return consent


@transaction.atomic
def consent_correct(
    *,
    actor: User,
    consent: Consent,
    given_on: date,
    withdrawn_on: date | None = None,
    document_note: str | None = None,
    reason: str = "",
) -> Consent:
    """Correct a consent recorded wrongly (its dates or document), with the reason kept in its history.
    A handover consent corrected here is the handover record's consent date too (one source)."""
    _require_role(actor, consent.client, *PLAN_WRITERS)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _refuse_withdrawn_consent(consent)
    errors = _consent_date_errors(given_on, withdrawn_on)
    if errors:
        raise ValidationError(errors)
    reason = _require_reason(reason, _("訂正の理由を入力してください。"))
    old_given_on = consent.given_on
    consent.given_on, consent.withdrawn_on = given_on, withdrawn_on
    if document_note is not None:
        consent.document_note = document_note
    consent._history_user = actor
    consent._change_reason = reason
    consent.full_clean()
    consent.save()
    if consent.purpose == ConsentPurpose.HANDOVER:
        handover = Handover.objects.filter(client_id=consent.client_id, consent_on=old_given_on).first()
        if handover is not None and old_given_on != given_on:
            handover.consent_on = given_on
            handover._history_user = actor
            handover._change_reason = reason
            handover.full_clean()
            handover.save(update_fields=["consent_on", "updated_at"])
    return consent


def _refuse_withdrawn_consent(consent: Consent) -> None:
    if consent.withdrawn:
        raise ValidationError(_("取り消された同意の記録は変更できません。"))


@transaction.atomic
def consent_withdraw_entry(*, actor: User, consent: Consent, reason: str) -> Consent:
    """Withdraw a consent recorded by mistake (サービス管理責任者): kept with the reason, shown as withdrawn,
    and it never counted — unlike the client's 撤回 (consent_withdraw), after which it stood until then."""
    _require_role(actor, consent.client, *REVIEWERS)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    consent.mark_withdrawn(actor=actor, reason=reason)
    consent.save()
    announce(consent.client)
    return consent


def handover_consent(client: Client) -> Consent | None:
    """The client's handover consent in the register: the latest one not withdrawn."""
    return (
        Consent.objects.filter(
            client=client, purpose=ConsentPurpose.HANDOVER, withdrawn_on__isnull=True, withdrawn_at__isnull=True
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def _write_handover_consent(*, actor: User, client: Client, consent_on: date) -> None:
    """The handover form's consent date is the register's (purpose 引継ぎ): recorded there, or the
    standing record corrected, so every page shows the same answer."""
    register = handover_consent(client)
    if register is None:
        consent = Consent(
            client=client,
            purpose=ConsentPurpose.HANDOVER,
            given_on=consent_on,
            document_note=_("引継ぎの記録から"),
            recorded_by=actor,
        )
        consent._history_user = actor
        consent.save()
    elif register.given_on != consent_on:
        register.given_on = consent_on
        register._history_user = actor
        register._change_reason = _("引継ぎの記録で同意日を訂正")
        register.save(update_fields=["given_on"])
