from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("利用者・事業所")

    def ready(self):
        from . import signals  # noqa: F401 (signals connects the window's model hooks)
