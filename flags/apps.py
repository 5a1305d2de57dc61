from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlagsConfig(AppConfig):
    name = "flags"
    verbose_name = _("アラート")

    def ready(self):
        from cases.signals import client_facts_changed

        from .services import client_changed

        def _refresh_flags(sender, client, days=(), **kwargs):
            client_changed(client=client, days=days)

        client_facts_changed.connect(_refresh_flags, weak=False, dispatch_uid="flags_client_facts_changed")

        from claims.signals import claim_batches_changed

        from .services import flag_claims

        def _refresh_claim_flags(sender, office, **kwargs):
            flag_claims(office=office)

        claim_batches_changed.connect(
            _refresh_claim_flags, weak=False, dispatch_uid="flags_claim_batches_changed"
        )
