from .selectors import open_flag_count


def open_flags(request):
    """The navigation badge: the open-flag count the member may see, one COUNT query, only when rendered."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {"open_flag_count": lambda: open_flag_count(membership)}
