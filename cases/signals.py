"""Domain events of cases, and the model hooks that keep the stored window fresh by every path.

Upper apps subscribe to `client_facts_changed` in their AppConfig.ready(); receivers run in the sender's
transaction, so what they derive is exactly as fresh as the change. `client_shown` is sent by the access
helper that loads a record for a page (cases.access.load_for_page); audit writes the access-log row.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import BenefitDecision, Client, Employment
from .services import client_refresh_window

# Sent with client= (a Client) and days= (dates touched, may be empty) after a fact a rule reads changed.
client_facts_changed = Signal()

# Sent with request= and client= (a Client) when a page loads the client's file or a record of it.
client_shown = Signal()


def announce(client: Client, days=()):
    client_facts_changed.send(sender=Client, client=client, days=list(days))


@receiver(post_save, sender=Employment, dispatch_uid="cases_employment_saved")
@receiver(post_delete, sender=Employment, dispatch_uid="cases_employment_deleted")
def _employment_changed(sender, instance: Employment, raw=False, **kwargs):
    if raw:
        return
    client = Client.objects.get(pk=instance.client_id)
    client_refresh_window(client)
    announce(client)


@receiver(post_save, sender=BenefitDecision, dispatch_uid="cases_decision_saved")
@receiver(post_delete, sender=BenefitDecision, dispatch_uid="cases_decision_deleted")
def _decision_changed(sender, instance: BenefitDecision, raw=False, **kwargs):
    if raw:
        return
    announce(Client.objects.get(pk=instance.client_id))


@receiver(post_save, sender=Client, dispatch_uid="cases_client_saved")
def _client_saved(sender, instance: Client, raw=False, created=False, **kwargs):
    """The prior-service end moves the window; so does a stale instance saved over a fresh one."""
    if raw or created:
        return
    before = instance.window
    if client_refresh_window(instance) != before:
        announce(instance)
