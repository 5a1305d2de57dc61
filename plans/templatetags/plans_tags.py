from django import template
from django.utils import timezone

from cases.access import has_role
from cases.models import Role

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
        "can_write": has_role(membership, Role.STAFF, Role.MANAGER),
        "is_manager": has_role(membership, Role.MANAGER),
    }
