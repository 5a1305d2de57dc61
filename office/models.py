"""What office administration keeps: its history of actions, who must change their password, imports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    STAFF_ADDED = "staff_added", _("職員を追加")
    ROLE_CHANGED = "role_changed", _("役割を変更")
    DEACTIVATED = "deactivated", _("利用停止")
    REACTIVATED = "reactivated", _("利用再開")
    PASSWORD_RESET = "password_reset", _("パスワードを再設定")
    SETUP_LINK = "setup_link", _("設定用リンクを発行")
    TWO_FACTOR_RESET = "two_factor_reset", _("2段階認証をリセット")
    UNLOCKED = "unlocked", _("ロックを解除")
    SETTINGS_CHANGED = "settings_changed", _("事業所の設定を変更")
    PASSWORD_CHANGED = "password_changed", _("パスワードを変更")
    CLIENTS_IMPORTED = "clients_imported", _("利用者を取り込み")


class OfficeEvent(models.Model):
    """One administrative action in an office, kept for good (its history page)."""

    office = models.ForeignKey("cases.Office", on_delete=models.PROTECT, related_name="admin_events")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("実行者")
    )
    kind = models.CharField(_("操作"), max_length=20, choices=EventKind.choices)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("対象"),
    )
    # Codes (a role, a setting's name) as they were; the page shows them through office.labels.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("管理操作の履歴")
        verbose_name_plural = _("管理操作の履歴")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "-at"], name="officeevent_office_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class PasswordChangeRequired(models.Model):
    """A user whose password was set by an admin: they choose their own at the next login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("パスワード変更が必要")
        verbose_name_plural = _("パスワード変更が必要")

    def __str__(self):
        return str(self.user_id)


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("エラーあり（取り込みなし）")
    PREVIEWED = "previewed", _("確認待ち")
    IMPORTED = "imported", _("取り込み済み")


class ClientImport(models.Model):
    """One uploaded file of clients: kept with its SHA-256 and what became of it."""

    office = models.ForeignKey("cases.Office", on_delete=models.PROTECT, related_name="client_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("取込者")
    )
    uploaded_at = models.DateTimeField(_("日時"), default=timezone.now)
    imported_at = models.DateTimeField(_("取込日時"), null=True, blank=True)
    filename = models.CharField(_("ファイル名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField()
    status = models.CharField(_("結果"), max_length=12, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    created_count = models.PositiveIntegerField(_("新規"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    skipped_count = models.PositiveIntegerField(_("スキップ"), default=0)
    error_count = models.PositiveIntegerField(_("エラー"), default=0)

    class Meta:
        verbose_name = _("利用者の取り込み")
        verbose_name_plural = _("利用者の取り込み")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["office", "-uploaded_at"], name="clientimport_office_at")]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"
