"""`log_access`: the one call that writes an access-log row: for every page showing a client's file (from
AccessLogMiddleware, after the page loaded the client with cases.access.load_for_page) and every export."""

from django.conf import settings

from .models import AccessKind, AccessLog


def client_ip(request) -> str | None:
    """The client's address, for the access log and for django-axes (AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = n > 0 (n reverse proxies in front of the app, each appending to
    X-Forwarded-For), the address the outermost trusted proxy saw: the n-th entry from the right.
    Otherwise REMOTE_ADDR; a client-supplied X-Forwarded-For is never trusted beyond the proxies.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def log_access(request, *, client=None, page: str, export: str | None = None, kind: str | None = None):
    """Write one access log row for this request: ONE insert, no reads.

    A page of a client's file does not call it: it loads the client with cases.access.load_for_page and
    AccessLogMiddleware writes the row. Exports and office pages with personal data call it:

        log_access(request, page="visits:billing_export", export="billing-2026-11.csv")

    - `client`: the `cases.Client` shown (or None for office-wide pages and exports).
    - `page`: a stable name of the page, preferably the URL name ("app:name").
    - `export`: the export's name (e.g. the file name) when the request downloads data; the row's kind
      is then "export", otherwise "view".
    - `kind`: override the kind (an `AccessKind` value); the signals and middleware use it.

    User, office (from `request.membership`, set by CurrentOfficeMiddleware), path, time and IP come
    from the request.
    """
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    membership = getattr(request, "membership", None)
    office_id = membership.office_id if membership is not None else getattr(client, "office_id", None)
    return AccessLog.objects.create(
        kind=kind or (AccessKind.EXPORT if export else AccessKind.VIEW),
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        office_id=office_id,
        client_id=client.pk if client is not None else None,
        page=page[:100],
        export=(export or "")[:100],
        path=request.get_full_path()[:500],
        ip=client_ip(request),
    )
