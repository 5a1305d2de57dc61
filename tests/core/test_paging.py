"""The one paginate helper of list pages: any ?page= gives a page, the links keep the other parameters."""

from django.test import RequestFactory

from core.paging import page_query, paginate


def _request(query: str):
    return RequestFactory().get(f"/list/?{query}")


def test_a_page_number_out_of_range_or_not_a_number_gives_a_page():
    items = list(range(45))
    assert paginate(_request("page=2"), items, 20).object_list == list(range(20, 40))
    assert paginate(_request("page=99"), items, 20).number == 3
    assert paginate(_request("page=abc"), items, 20).number == 1
    assert paginate(_request(""), [], 20).object_list == []


def test_the_page_links_keep_the_filters_without_the_page():
    request = _request("q=%E5%B1%B1%E7%94%B0&page=3&scope=all")
    assert page_query(request) == "q=%E5%B1%B1%E7%94%B0&scope=all"
    assert page_query(request, "scope") == "q=%E5%B1%B1%E7%94%B0"
