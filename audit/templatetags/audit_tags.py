from django import template

from ..history import HISTORY_LIMIT, client_history
from ..labels import page_label as _page_label

register = template.Library()


@register.inclusion_tag("audit/_client_history.html")
def client_change_history(client):
    """{% client_change_history client %}: the latest changes to the client, employments and decisions."""
    return {"entries": client_history(client), "limit": HISTORY_LIMIT}


@register.filter
def page_label(name):
    """{{ row.page|page_label }}: the access log's page name in words."""
    return _page_label(name)
