from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.access import clients_visible_to, load_for_page
from core.access import office_required
from core.paging import page_query, paginate
from core.params import safe_next
from core.permissions import ADMINISTER

from . import selectors, services
from .csv_export import access_log_rows, csv_response
from .filters import AccessLogFilter
from .forms import TokenForm
from .log import log_access

PAGE_SIZE = 50


@office_required()
def client_history(request, pk):
    """Who changed the client's file, and what: its own page, which the client page loads into its
    history panel after it has shown (static/js/app.js) or links to without JavaScript."""
    client = load_for_page(request, clients_visible_to(request.membership), pk)
    return render(request, "audit/client_history.html", {"client": client})


def _filtered_log(request):
    return AccessLogFilter(
        request.GET, queryset=selectors.access_log_visible_to(request.membership), request=request
    )


@office_required(may=ADMINISTER)
def access_log(request):
    log_filter = _filtered_log(request)
    page = paginate(request, log_filter.qs, PAGE_SIZE)
    return render(
        request,
        "audit/access_log.html",
        {"filter": log_filter, "page": page, "query": page_query(request)},
    )


@office_required(may=ADMINISTER)
def access_log_csv(request):
    log_filter = _filtered_log(request)
    filename = f"access-log-{timezone.localdate():%Y%m%d}.csv"
    log_access(request, page="audit:access_log_csv", export=filename)
    return csv_response(access_log_rows(log_filter.qs), filename)


@login_required
def session_list(request):
    sessions = list(selectors.live_sessions_of(request.user))
    return render(
        request,
        "audit/session_list.html",
        {"sessions": sessions, "current_key": request.session.session_key},
    )


@login_required
@require_POST
def session_end(request):
    key = request.POST.get("session_key", "")
    if key and key != request.session.session_key and services.user_session_end(actor=request.user, session_key=key):
        messages.success(request, _("セッションを終了しました。"))
    return redirect("audit:session_list")


def _next_url(request):
    return safe_next(request, request.GET.get("next") or request.POST.get("next")) or "home"


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


@login_required
def two_factor_setup(request):
    """Create (once) an unconfirmed TOTP device, show its QR code and confirm it with a first token."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("audit:two_factor_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("2段階認証を設定しました。"))
            return redirect(_next_url(request))
        form.add_error("token", _("確認コードが正しくありません。時刻のずれがないか確認してください。"))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "audit/two_factor_setup.html",
        {"form": form, "qr_svg": _qr_svg(device.config_url), "secret": secret, "next": request.GET.get("next", "")},
    )


@login_required
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("確認コードが正しくありません。"))
    return render(request, "audit/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def recovery_codes(request):
    """Recovery codes for when the phone is lost: made (again) on POST and shown only then."""
    codes = None
    if request.method == "POST":
        codes = services.recovery_codes_create(actor=request.user)
        messages.success(request, _("回復コードを作成しました。以前の回復コードは使えなくなりました。"))
    remaining = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "audit/recovery_codes.html", {"codes": codes, "remaining": remaining})
