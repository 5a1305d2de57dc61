from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from core.permissions import REVIEW, WRITE_PLANS, can
from core.rows import render_rows

from .. import selectors

register = template.Library()


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
        badges={plan.pk: render_to_string("plans/_status_badge.html", {"plan": plan}) for plan in panel.plans},
        can_write=can(membership, WRITE_PLANS),
        is_manager=can(membership, REVIEW),
    )
