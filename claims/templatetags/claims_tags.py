from django import template

register = template.Library()


@register.filter
def comma(value):
    """12345 → 12,345 (units and yen; the same in Japanese and English)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
