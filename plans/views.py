from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.access import clients_visible_to, load_for_page
from cases.selectors import support_staff_members
from core.access import has_role, office_required
from core.forms import WithdrawForm
from core.locking import conflict_rows, status_of
from core.permissions import REVIEW, SEE_OFFICE, WRITE_PLANS, can, roles_with
from core.rows import render_rows
from core.views import add_service_errors, apply_service

from . import deadlines, selectors, services
from .forms import (
    ConsentCorrectForm,
    ConsentForm,
    ConsentWithdrawForm,
    HandoverForm,
    PlanDateForm,
    PlanForm,
    ReviewForm,
)
from .models import ConsentPurpose, Handover, PlanStatus

WRITERS = roles_with(WRITE_PLANS)
MANAGERS = roles_with(REVIEW)


def _client(request, pk):
    return case_selectors.client_for_page(request, pk)


def _save_locked(form, service, **kwargs):
    """Run a locked update; on a stale version, keep the user's text and return the row as saved now."""
    try:
        return service(**kwargs, lock_version=form.read_version(), **form.content()), None
    except services.StaleEdit as stale:
        form.refuse_stale(stale)
        return None, stale.current
    except ValidationError as error:
        add_service_errors(form, error)
        return None, None


_conflict_rows = conflict_rows


# --- plans ---


@office_required()
def plan_versions(request, client_pk):
    client = _client(request, client_pk)
    plans = list(client.plans.select_related("drafted_by", "approved_by").order_by("-version"))
    return render(
        request,
        "plans/plan_versions.html",
        {"client": client, "plans": plans, "can_write": can(request.membership, WRITE_PLANS)},
    )


@office_required(may=WRITE_PLANS)
def plan_create(request, client_pk):
    client = _client(request, client_pk)
    latest = client.plans.order_by("-version").first()
    if latest is not None and request.method == "POST" and "copy" in request.POST:
        try:
            plan = services.plan_new_version(actor=request.user, plan=latest)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plans:plan_versions", client_pk=client.pk)
        messages.success(
            request,
            _("第%(v)s版の下書きを作成しました（前の版の内容を引き継いでいます）。") % {"v": plan.version},
        )
        return redirect("plans:plan_edit", pk=plan.pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form, services.plan_create, data=form.content(), actor=request.user, client=client
        )
        if plan:
            messages.success(request, _("計画の下書きを作成しました。"))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "client": client, "title": _("計画の作成")})


@office_required()
def plan_detail(request, pk):
    plan = selectors.plan_for_page(request, pk)
    today = timezone.localdate()
    m = request.membership
    context = {
        "plan": plan,
        "client": plan.client,
        "reviews": list(plan.reviews.select_related("reviewer")),
        "can_write": can(m, WRITE_PLANS),
        "is_manager": can(m, REVIEW),
        "today": today,
        "consent_stands": selectors.consent_stands(plan.client, ConsentPurpose.PLAN_TO_CONSULTATION, today),
        "previous": plan.client.plans.filter(version__lt=plan.version).order_by("-version").first(),
    }
    if plan.status == PlanStatus.DRAFT:
        context["step_form"] = PlanDateForm(field_name="approved_on", label=_("承認日"), initial_date=today)
    elif plan.status == PlanStatus.APPROVED:
        context["step_form"] = PlanDateForm(field_name="agreed_on", label=_("本人同意日"), initial_date=today)
    elif plan.status == PlanStatus.AGREED:
        context["step_form"] = PlanDateForm(field_name="delivered_on", label=_("交付日"), initial_date=today)
    return render(request, "plans/plan_detail.html", context)


@office_required(may=WRITE_PLANS)
def plan_edit(request, pk):
    plan = selectors.plan_for_page(request, pk)
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, _("作成中の計画だけを編集できます。変更するには新しい版を作成してください。"))
        return redirect("plans:plan_detail", pk=plan.pk)
    form = PlanForm(request.POST or None, instance=plan)
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = _save_locked(form, services.plan_update, actor=request.user, plan=plan)
        if saved:
            messages.success(request, _("計画を保存しました。"))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "client": plan.client,
            "title": _("計画の編集（第%(v)s版）") % {"v": plan.version},
            "conflict": _conflict_rows(form, current) if current else None,
        },
        status=409 if current else 200,
    )


STEPS = {
    "approve": ("approved_on", _("承認日"), services.plan_approve, MANAGERS, _("計画を承認しました。")),
    "consent": (
        "agreed_on",
        _("本人同意日"),
        services.plan_record_consent,
        WRITERS,
        _("本人の同意を記録しました。"),
    ),
    "deliver": (
        "delivered_on",
        _("交付日"),
        services.plan_record_delivery,
        WRITERS,
        _("交付を記録しました。"),
    ),
}


@require_POST
@office_required(may=WRITE_PLANS)
def plan_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    field_name, label, service, roles, done = STEPS[step]
    if not has_role(request.membership, *roles):
        return render(request, "403.html", status=403)
    plan = selectors.plan_for_page(request, pk)
    form = PlanDateForm(request.POST, field_name=field_name, label=label, initial_date=None)
    if form.is_valid():
        try:
            service(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("日付を入力してください。"))
    return redirect("plans:plan_detail", pk=plan.pk)


@office_required()
def plan_compare(request, client_pk):
    client = _client(request, client_pk)
    plans = list(client.plans.order_by("version"))
    by_version = {p.version: p for p in plans}
    try:
        old = by_version[int(request.GET.get("a", 0))]
        new = by_version[int(request.GET.get("b", 0))]
    except (KeyError, ValueError):
        old, new = (plans[-2], plans[-1]) if len(plans) >= 2 else (None, None)
    changes = selectors.plan_diff(old, new) if old and new else []
    return render(
        request,
        "plans/plan_compare.html",
        {"client": client, "plans": plans, "old": old, "new": new, "changes": changes},
    )


@office_required()
def plan_print(request, pk):
    plan = selectors.plan_for_page(request, pk)
    return render(request, "plans/plan_print.html", {"plan": plan, "client": plan.client})


# --- reviews ---


@office_required(may=REVIEW)
def review_create(request, plan_pk):
    plan = selectors.plan_for_page(request, plan_pk)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        review = apply_service(
            form, services.plan_review_complete, data=form.content(), actor=request.user, plan=plan
        )
        if review:
            messages.success(request, _("モニタリングを記録しました。"))
            latest = plan.client.plans.order_by("-version").first()
            if latest.status == PlanStatus.DRAFT and latest.pk != plan.pk and review.decision == "revise":
                messages.info(request, _("第%(v)s版の下書きを作成しました。") % {"v": latest.version})
                return redirect("plans:plan_edit", pk=latest.pk)
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "client": plan.client,
            "title": _("モニタリングの記録（第%(v)s版）") % {"v": plan.version},
        },
    )


@office_required(may=REVIEW)
def review_edit(request, pk):
    review = selectors.review_for_page(request, pk)
    form = ReviewForm(request.POST or None, instance=review)
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = _save_locked(form, services.plan_review_update, actor=request.user, review=review)
        if saved:
            messages.success(request, _("モニタリングを保存しました。"))
            return redirect("plans:plan_detail", pk=review.plan_id)
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "client": review.plan.client,
            "title": _("モニタリングの編集"),
            "conflict": _conflict_rows(form, current) if current else None,
        },
        status=409 if current else 200,
    )


@require_POST
@office_required(may=REVIEW)
def plan_withdraw(request, pk):
    plan = selectors.plan_for_page(request, pk)
    try:
        services.plan_withdraw(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("第%(v)s版を取り消しました（記録と理由は保存されます）。") % {"v": plan.version}
        )
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@office_required(may=REVIEW)
def review_withdraw(request, pk):
    review = get_object_or_404(selectors.reviews_visible_to(request.membership), pk=pk)
    try:
        services.plan_review_withdraw(
            actor=request.user, review=review, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("モニタリングの記録を取り消しました（記録と理由は保存されます）。"))
    return redirect("plans:plan_detail", pk=review.plan_id)


# --- handover ---


@office_required()
def handover_edit(request, client_pk):
    client = _client(request, client_pk)
    handover = Handover.objects.filter(client=client).select_related("withdrawn_by").first()
    withdrawn = handover if handover and handover.withdrawn else None
    if withdrawn:
        handover = None  # shown as withdrawn; the form records a new handover
    can_write = can(request.membership, WRITE_PLANS)
    register = services.handover_consent(client)  # the consent register (purpose 引継ぎ) is the one source
    initial = {"consent_on": register.given_on} if register else {}
    form = HandoverForm(request.POST or None, instance=handover, initial=initial)
    if request.method == "POST":
        if not can_write:
            return render(request, "403.html", status=403)
        if form.is_valid():
            saved = apply_service(form, services.case_handover, actor=request.user, client=client)
            if saved:
                if saved.handed_over_on:
                    messages.success(request, _("引継ぎを記録しました。利用者は「引継ぎ済み」になりました。"))
                else:
                    messages.success(request, _("引継ぎの記録を保存しました。"))
                return redirect("cases:client_detail", pk=client.pk)
    today = timezone.localdate()
    return render(
        request,
        "plans/handover_form.html",
        {
            "form": form,
            "client": client,
            "can_write": can_write,
            "consent_stands": selectors.consent_stands(client, ConsentPurpose.HANDOVER, today),
            "share_deadline": client.window_ends_on
            and deadlines.handover_share_deadline(client.window_ends_on),
            "handover": handover,
            "withdrawn": withdrawn,
            "can_withdraw": can(request.membership, REVIEW),
            "shared_late": deadlines.handover_shared_late(
                client.window_ends_on, handover.info_shared_on if handover else None
            ),
            "conflict": conflict_rows(form),
        },
        status=status_of(form),
    )


@require_POST
@office_required(may=REVIEW)
def handover_withdraw(request, pk):
    handover = get_object_or_404(Handover.objects.filter(client__in=clients_visible_to(request.membership)), pk=pk)
    try:
        services.handover_withdraw(actor=request.user, handover=handover, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("引継ぎの記録を取り消しました（記録と理由は保存されます）。"))
    return redirect("plans:handover_edit", client_pk=handover.client_id)


# --- consents ---


@office_required()
def consent_list(request, client_pk):
    client = _client(request, client_pk)
    today = timezone.localdate()
    can_write = can(request.membership, WRITE_PLANS)
    form = ConsentForm(request.POST or None, initial={"given_on": today})
    if request.method == "POST":
        if not can_write:
            return render(request, "403.html", status=403)
        if form.is_valid() and apply_service(
            form, services.consent_record, actor=request.user, client=client
        ):
            messages.success(request, _("同意を記録しました。"))
            return redirect("plans:consent_list", client_pk=client.pk)
    return render(
        request,
        "plans/consent_list.html",
        {
            "client": client,
            "form": form,
            "can_write": can_write,
            "consents": list(client.consents.select_related("recorded_by", "withdrawn_by")),
            "can_withdraw": can(request.membership, REVIEW),
            "summary": selectors.consent_summary(client, today),
            "withdraw_form": ConsentWithdrawForm(initial={"withdrawn_on": today}),
        },
    )


@require_POST
@office_required(may=WRITE_PLANS)
def consent_withdraw(request, pk):
    consent = get_object_or_404(selectors.consents_visible_to(request.membership), pk=pk)
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("同意の撤回を記録しました。"))
    else:
        messages.error(request, _("撤回日と撤回の理由を入力してください。"))
    return redirect("plans:consent_list", client_pk=consent.client_id)


@office_required(may=REVIEW)
def consent_withdraw_entry(request, pk):
    """Withdraw a consent recorded by mistake: a confirm page with the reason required."""
    consent = load_for_page(
        request, selectors.consents_visible_to(request.membership).filter(withdrawn_at__isnull=True), pk, client="client"
    )
    form = WithdrawForm(request.POST or None)
    back = reverse("plans:consent_list", args=[consent.client_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw_entry(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("同意の記録を取り消しました（記録と理由は保存されます）。"))
            return redirect(back)
    return render(
        request,
        "core/withdraw.html",
        {
            "form": form,
            "title": _("同意の記録の取消"),
            "subject": f"{consent.get_purpose_display()} {consent.given_on:%Y/%m/%d}",
            "back_url": back,
            "back_label": consent.client.full_name,
        },
    )


@office_required(may=WRITE_PLANS)
def consent_correct(request, pk):
    consent = selectors.consent_for_page(request, pk)
    initial = {
        "given_on": consent.given_on,
        "withdrawn_on": consent.withdrawn_on,
        "document_note": consent.document_note,
    }
    form = ConsentCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.consent_correct, actor=request.user, consent=consent):
            messages.success(request, _("同意の記録を訂正しました（訂正前の内容と理由は履歴に残ります）。"))
            return redirect("plans:consent_list", client_pk=consent.client_id)
    title = _("同意の訂正: %(purpose)s") % {"purpose": consent.get_purpose_display()}
    return render(request, "plans/form.html", {"form": form, "client": consent.client, "title": title})


# --- the service manager's dashboard ---


@office_required(may=SEE_OFFICE)
def dashboard(request):
    office = request.membership.office
    today = timezone.localdate()
    staff_members = support_staff_members(office_id=office.pk)
    try:
        staff_id = int(request.GET.get("staff") or 0) or None
    except ValueError:
        staff_id = None
    if staff_id and staff_id not in {u.pk for u in staff_members}:
        staff_id = None
    lists = selectors.dashboard(office, today, staff_id=staff_id)
    return render(
        request,
        "plans/dashboard.html",
        {
            "lists": lists,
            "deadline_lists": render_rows("plans/deadline_lists.html", lists=lists),
            "today": today,
            "staff_members": staff_members,
            "staff_id": staff_id,
        },
    )
