"""The one paginate pattern of list pages (templates/_pagination.html draws the links)."""

from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int) -> Page:
    """The page of `items` that ?page= asks for; a number out of range or not a number gives the last or
    the first page, never an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def page_query(request, *drop: str) -> str:
    """The request's other parameters (filters, search), urlencoded for the page links: without `page`
    and without any name in `drop`."""
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()
