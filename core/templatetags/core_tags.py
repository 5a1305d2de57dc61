"""The page's chrome, rendered by Jinja2 (core.rows) from the context every page has."""

from django import template
from django.utils.translation import get_language

from core.nav import nav
from core.permissions import May
from core.rows import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def navbar(context):
    """The navigation bar and account menu of base.html: the member's links, the open-flag badge
    (`open_flag_count` from flags' context processor, one COUNT when a member is signed in), the office
    switch and the language and logout forms."""
    request = context.get("request")  # None where a page is rendered without one
    match = getattr(request, "resolver_match", None)
    return render_rows(
        "nav.html",
        request=request,
        user=context.get("user"),
        membership=context.get("membership"),
        memberships=context.get("memberships", []),
        may=context.get("may") or May(None),
        nav=context.get("nav") or nav(request)["nav"],
        open_flag_count=context.get("open_flag_count", int),
        language=get_language(),
        # the page's one token (the csrf context processor's), as Django's {% csrf_token %} writes it
        csrf_token_of_page=context.get("csrf_token", ""),
        v=match.view_name if match else "",
        ns=match.namespace if match else "",
    )
