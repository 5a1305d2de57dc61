from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "core"

    def ready(self):
        from . import converters, lookups  # noqa: F401 (registers __any)

        converters.register()
