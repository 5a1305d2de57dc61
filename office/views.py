"""Office administration for the admin role (事務・管理者): staff, lockouts, settings, history.

Every action is written to the access log (audit.log.log_access) and to the office's history
(office.models.OfficeEvent, by the services)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import log_access
from cases.models import Office, User
from core.access import office_required
from core.paging import paginate
from core.permissions import ADMINISTER
from core.views import add_service_errors

from . import selectors, services
from .forms import OfficeSettingsForm, PasswordResetForm, RoleForm, StaffCreateForm
from .labels import describe_event
from .signals import MUST_CHANGE_SESSION_KEY

PAGE_SIZE = 50
admin_only = office_required(may=ADMINISTER)


def _setup_url(request, user):
    uid, token = services.setup_token(user)
    return request.build_absolute_uri(f"{reverse('office:account_setup')}?uid={uid}&token={token}")


def _member(request, pk):
    return get_object_or_404(selectors.member_of_office(request.membership.office_id, pk))


def _error_messages(request, error: ValidationError):
    for text in error.messages:
        messages.error(request, text)


@admin_only
def staff_list(request):
    members = list(selectors.staff_of_office(request.membership.office_id))
    return render(request, "office/staff_list.html", {"members": members})


@admin_only
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_create(
                actor=request.user, office=request.membership.office, **form.cleaned_data_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, page="office:staff_create")
            messages.success(request, _("職員「%(name)s」を追加しました。") % {"name": user.display_name})
            if form.cleaned_data["method"] == "link":
                return render(
                    request, "office/setup_link.html", {"member_user": user, "url": _setup_url(request, user)}
                )
            return redirect("office:staff_detail", pk=user.pk)
    return render(request, "office/form.html", {"form": form, "title": _("職員の追加")})


@admin_only
def staff_detail(request, pk):
    membership = _member(request, pk)
    events = selectors.events_of_office(request.membership.office_id).filter(target_id=pk)[:20]
    return render(
        request,
        "office/staff_detail.html",
        {
            "member": membership,
            "role_form": RoleForm(initial={"role": membership.role}),
            "password_form": PasswordResetForm(),
            "events": [(event, describe_event(event)) for event in events],
            "is_self": membership.user_id == request.user.pk,
        },
    )


def _member_action(request, pk, page, action, success):
    membership = _member(request, pk)
    try:
        result = action(membership)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("office:staff_detail", pk=pk)
    log_access(request, page=page)
    if isinstance(result, str):  # a setup link to hand over
        return render(request, "office/setup_link.html", {"member_user": membership.user, "url": result})
    messages.success(request, success)
    return redirect("office:staff_detail", pk=pk)


@admin_only
@require_POST
def staff_role(request, pk):
    _member(request, pk)  # another office's member: 404 before anything else
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("役割を選んでください。"))
        return redirect("office:staff_detail", pk=pk)
    return _member_action(
        request,
        pk,
        "office:staff_role",
        lambda m: services.staff_role_change(
            actor=request.user, membership=m, role=form.cleaned_data["role"]
        ),
        _("役割を変更しました。"),
    )


@admin_only
@require_POST
def staff_deactivate(request, pk):
    return _member_action(
        request,
        pk,
        "office:staff_deactivate",
        lambda m: services.staff_deactivate(actor=request.user, membership=m),
        _("アカウントを停止しました。ログイン中のセッションも終了しました。"),
    )


@admin_only
@require_POST
def staff_reactivate(request, pk):
    return _member_action(
        request,
        pk,
        "office:staff_reactivate",
        lambda m: services.staff_reactivate(actor=request.user, membership=m),
        _("アカウントの利用を再開しました。"),
    )


@admin_only
@require_POST
def staff_password(request, pk):
    _member(request, pk)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("office:staff_detail", pk=pk)
    password = form.cleaned_data["password"]

    def reset(membership):
        services.staff_password_reset(actor=request.user, membership=membership, password=password)
        return None if password else _setup_url(request, membership.user)

    return _member_action(
        request,
        pk,
        "office:staff_password",
        reset,
        _("初期パスワードを設定しました。次のログインで本人が変更します。"),
    )


@admin_only
@require_POST
def staff_two_factor(request, pk):
    return _member_action(
        request,
        pk,
        "office:staff_two_factor",
        lambda m: services.staff_two_factor_reset(actor=request.user, membership=m) and None,
        _("2段階認証をリセットしました。次のログインで認証アプリを設定し直します。"),
    )


@admin_only
def lockout_list(request):
    attempts = selectors.lockouts_of_office(request.membership.office_id)
    return render(request, "office/lockout_list.html", {"attempts": attempts})


@admin_only
@require_POST
def lockout_unlock(request):
    username = request.POST.get("username", "")
    try:
        services.lockout_reset(actor=request.user, office=request.membership.office, username=username)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        log_access(request, page="office:lockout_unlock")
        messages.success(request, _("「%(username)s」のロックを解除しました。") % {"username": username})
    return redirect("office:lockout_list")


@admin_only
def office_settings(request):
    office = request.membership.office
    # The form validates on a copy: the service compares the office as saved with the new values.
    form = OfficeSettingsForm(request.POST or None, instance=Office.objects.get(pk=office.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.office_settings_update(
                actor=request.user, office=office, **{name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, page="office:settings")
            messages.success(request, _("事業所の設定を保存しました。"))
            return redirect("office:settings")
    return render(request, "office/form.html", {"form": form, "title": _("事業所の設定")})


@admin_only
def event_list(request):
    events = selectors.events_of_office(request.membership.office_id)
    page = paginate(request, events, PAGE_SIZE)
    rows = [(event, describe_event(event)) for event in page.object_list]
    return render(request, "office/event_list.html", {"page": page, "rows": rows})


@login_required
def password_change(request):
    """Every user changes their own password here; after an admin set one, before any other page."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.own_password_change(
            user=request.user,
            password=form.cleaned_data["new_password1"],
            office=request.membership and request.membership.office,
        )
        update_session_auth_hash(request, user)
        request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        log_access(request, page="office:password_change")
        messages.success(request, _("パスワードを変更しました。"))
        return redirect("home")
    return render(
        request,
        "office/password_change.html",
        {"form": form, "required": bool(request.session.get(MUST_CHANGE_SESSION_KEY))},
    )


def _user_from_link(uid, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist, ValidationError):
        return None
    if not user.is_active or not default_token_generator.check_token(user, token):
        return None
    return user


def account_setup(request):
    """The one-time link: choose a password, then sign in. The link stops working once used."""
    uid = request.GET.get("uid", "") or request.POST.get("uid", "")
    token = request.GET.get("token", "") or request.POST.get("token", "")
    user = _user_from_link(uid, token) if uid and token else None
    if user is None:
        return render(request, "office/account_setup.html", {"invalid": True})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        membership = user.memberships.select_related("office").first()
        if membership is not None:
            services.office_event_record(
                actor=user, office=membership.office, kind="password_changed", target=user
            )
        log_access(request, page="office:account_setup")
        messages.success(
            request, _("パスワードを設定しました。ユーザー名と新しいパスワードでログインしてください。")
        )
        return redirect("login")
    return render(
        request, "office/account_setup.html", {"form": form, "uid": uid, "token": token, "member_user": user}
    )
