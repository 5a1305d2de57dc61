"""Responses are never stored by a browser or a shared cache: every page and file may carry a
client's personal data (名前, 受給者証番号, 支援記録), so Cache-Control is `no-store, private` unless a
view says otherwise with `core.middleware.shareable`."""

from functools import wraps

from django.utils.cache import patch_cache_control

NO_STORE = "no-store, private"


def shareable(view):
    """Mark a view whose response holds no personal data (none does today)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.cache_shareable = True
        return response

    return wrapped


class NoStoreMiddleware:
    """Sets `Cache-Control: no-store, private` (and drops max-age/public) on every response that Django
    produces, pages, exports, redirects and errors alike. Static files never reach it: WhiteNoise answers
    them earlier in MIDDLEWARE, with its own long cache headers. Place right after WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "cache_shareable", False):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
            if "Expires" in response:
                del response["Expires"]
        return response
