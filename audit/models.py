"""The access log (append-only) and the sessions of each user."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    VIEW = "view", _("閲覧")
    EXPORT = "export", _("出力")
    LOGIN = "login", _("ログイン")
    LOGIN_FAILED = "login_failed", _("ログイン失敗")
    LOGOUT = "logout", _("ログアウト")
    REFUSED = "refused", _("アクセス拒否")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access log row."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("access log rows are never updated")

    def delete(self):
        raise AppendOnlyError("access log rows are never deleted")


class AccessLog(models.Model):
    """One row per view of a client's file, export, login, failed login, logout or refused access.

    Foreign keys carry no database constraint and do nothing on delete, so a row is never rewritten
    when a user or client disappears; `username` keeps the name as typed or as it was at the time.
    """

    at = models.DateTimeField(_("日時"), default=timezone.now)
    kind = models.CharField(_("種別"), max_length=20, choices=AccessKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("ユーザー名"), max_length=150, blank=True)
    office = models.ForeignKey(
        "cases.Office",
        verbose_name=_("事業所"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    client = models.ForeignKey(
        "cases.Client",
        verbose_name=_("利用者"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    page = models.CharField(_("画面"), max_length=100, blank=True)
    export = models.CharField(_("出力名"), max_length=100, blank=True)
    path = models.CharField(_("パス"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("アクセスログ")
        verbose_name_plural = _("アクセスログ")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["office", "-at"], name="accesslog_office_at"),
            models.Index(fields=["client", "-at"], name="accesslog_client_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username} {self.page}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("access log rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("access log rows are never deleted")


class UserSession(models.Model):
    """A login session of a user, so they can see and end their other sessions."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    created_at = models.DateTimeField(_("ログイン日時"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    user_agent = models.CharField(_("ブラウザ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ログインセッション")
        verbose_name_plural = _("ログインセッション")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
