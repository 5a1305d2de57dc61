from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlagsConfig(AppConfig):
    name = "flags"
    verbose_name = _("アラート")

    def ready(self):
        # Imported here because app modules may not load models before the registry is ready; not a
        # cycle: cases, visits and claims never import flags.
        from cases.signals import client_facts_changed, clients_facts_changed
        from claims.signals import claim_batches_changed
        from visits.signals import contacts_changed

        from . import services

        def _refresh_flags(sender, client, days=(), **kwargs):
            services.client_changed(client=client, days=days)

        def _refresh_month_flags(sender, client, days=(), **kwargs):
            services.contacts_changed(client=client, days=days)

        def _refresh_clients_flags(sender, office, client_ids, **kwargs):
            services.clients_changed(office=office, client_ids=client_ids)

        client_facts_changed.connect(_refresh_flags, weak=False, dispatch_uid="flags_client_facts_changed")
        clients_facts_changed.connect(
            _refresh_clients_flags, weak=False, dispatch_uid="flags_clients_facts_changed"
        )
        contacts_changed.connect(_refresh_month_flags, weak=False, dispatch_uid="flags_contacts_changed")

        def _refresh_claim_flags(sender, office, **kwargs):
            services.flag_claims(office=office)

        claim_batches_changed.connect(
            _refresh_claim_flags, weak=False, dispatch_uid="flags_claim_batches_changed"
        )
