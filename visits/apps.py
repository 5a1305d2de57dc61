from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("支援記録・請求")

    def ready(self):
        from cases import locks

        from .selectors import locked_months

        locks.register(locked_months)  # cases and plans ask through cases.locks, below visits
