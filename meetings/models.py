from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RetentionTier(models.TextChoices):
    """就労定着率 tiers of the basic fee (2024 revision); the units per tier live in claims' fee table."""

    T95 = "95", _("9割5分以上")
    T90 = "90", _("9割以上9割5分未満")
    T80 = "80", _("8割以上9割未満")
    T70 = "70", _("7割以上8割未満")
    T50 = "50", _("5割以上7割未満")
    T30 = "30", _("3割以上5割未満")
    T0 = "0", _("3割未満")


class OfficeTierConfirmation(models.Model):
    """The tier an office notified (体制届) for a fiscal year; only a confirmed tier is billed."""

    office = models.ForeignKey(
        "cases.Office", on_delete=models.PROTECT, related_name="tier_confirmations", verbose_name=_("事業所")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    tier = models.CharField(_("就労定着率の区分"), max_length=2, choices=RetentionTier.choices)
    rate = models.DecimalField(_("算出した就労定着率"), max_digits=6, decimal_places=4, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("確定者")
    )
    confirmed_at = models.DateTimeField(_("確定日時"))
    note = models.CharField(_("備考"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("就労定着率の区分（確定）")
        verbose_name_plural = _("就労定着率の区分（確定）")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year"],
                name="tier_one_per_office_year",
                violation_error_message=_("この年度の区分は既に確定しています。"),
            )
        ]

    def __str__(self):
        return f"{self.office} {self.fiscal_year}年度 {self.get_tier_display()}"
