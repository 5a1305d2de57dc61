from django import template
from django.utils import timezone

from core.permissions import REVIEW, WRITE_PLANS, can

from .. import selectors

register = template.Library()


@register.inclusion_tag("plans/_client_panel.html", takes_context=True)
def client_plans_panel(context, client):
    """Plan versions, reviews, consents and handover for the client page (a few queries)."""
    membership = context.get("membership")
    today = timezone.localdate()
    return {
        "client": client,
        "panel": selectors.client_plans_panel(client, today),
        "today": today,
        "can_write": can(membership, WRITE_PLANS),
        "is_manager": can(membership, REVIEW),
    }
