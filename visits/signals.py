"""Domain events of visits. Flags subscribes in its AppConfig.ready(); receivers run in the sender's
transaction, so the flags they refresh are exactly as fresh as the change.

Support reports change a fact the month rule reads like any other and go through cases'
`client_facts_changed`; a contact gets its own event because it can change nothing but the verdict of
the months it is dated in (no deadline reads a contact), so its receivers refresh only those months.
"""

from django.dispatch import Signal

from cases.models import Client

# Sent with client= (a Client) and days= (the dates of the contacts touched: the old and the new date
# when one moved) after a contact was recorded, changed or withdrawn.
contacts_changed = Signal()


def announce_contacts(client: Client, days) -> None:
    contacts_changed.send(sender=Client, client=client, days=list(days))
