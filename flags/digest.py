"""The daily digest: each member is mailed the open flags of their own clients, once per office and day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Membership, Office

from .models import DigestSent, Flag
from .selectors import flags_for_list


def send_office_digest(*, office: Office, day: date | None = None) -> int:
    """Mail every member of the office with an e-mail address the open flags of their clients.

    A DigestSent row per (user, office, day) is written in the same transaction as the send, so a retried
    or repeated run never mails twice, and a failed send is retried by the next run. Returns mails sent.
    """
    day = day or timezone.localdate()
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(office=office, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    }
    already = set(DigestSent.objects.filter(office=office, day=day).values_list("user_id", flat=True))
    per_user = defaultdict(list)
    flags = flags_for_list(
        Flag.objects.open().filter(office=office, client__primary_staff_id__in=set(members) - already)
    )
    for flag in flags:
        per_user[flag.client.primary_staff_id].append(flag)
    sent = 0
    for user_id, user_flags in per_user.items():
        user = members[user_id]
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, office=office, day=day, flag_count=len(user_flags))
                context = {"user": user, "office": office, "day": day, "flags": user_flags}
                send_mail(
                    subject=_("【定着】%(office)s 未対応のアラート %(n)s件（%(day)s）")
                    % {"office": office.name, "n": len(user_flags), "day": day.isoformat()},
                    message=render_to_string("flags/digest_email.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            continue  # another run sent it already
        sent += 1
    return sent
