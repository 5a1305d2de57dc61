from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """Running an office without the Django admin: staff, lockouts, settings, client import."""

    name = "office"
    verbose_name = _("事業所の管理")

    def ready(self):
        from . import signals  # noqa: F401
