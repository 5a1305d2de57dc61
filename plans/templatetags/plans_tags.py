from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.permissions import REVIEW, WRITE_PLANS, can
from core.rows import render_rows

from .. import selectors
from ..models import PlanStatus

register = template.Library()

STATUS_BADGE = {
    PlanStatus.DRAFT: "text-bg-secondary",
    PlanStatus.APPROVED: "text-bg-info",
    PlanStatus.AGREED: "text-bg-primary",
}


@register.simple_tag
def plan_status_badge(plan):
    """A plan version's status as a badge, and 取消済み when withdrawn."""
    badge = format_html(
        '<span class="badge {}">{}</span>', STATUS_BADGE.get(plan.status, "text-bg-success"), plan.get_status_display()
    )
    if plan.withdrawn:
        badge += format_html(
            ' <span class="badge text-bg-dark" title="{}">{}</span>', plan.withdrawal_reason, _("取消済み")
        )
    return badge


@register.simple_tag(takes_context=True)
def client_plans_panel(context, client):
    """Plan versions, reviews, consents and handover for the client page (a few queries)."""
    membership = context.get("membership")
    panel = selectors.client_plans_panel(client, timezone.localdate())
    return render_rows(
        "plans/client_panel.html",
        request=context.get("request"),
        client=client,
        panel=panel,
        badges={plan.pk: plan_status_badge(plan) for plan in panel.plans},
        can_write=can(membership, WRITE_PLANS),
        is_manager=can(membership, REVIEW),
    )
