"""Words for the codes office administration stores: one table per set of codes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Office, Role

from .models import EventKind

SETTING_LABELS = {
    name: Office._meta.get_field(name).verbose_name
    for name in (
        "online_counts_as_face_to_face",
        "require_two_factor",
        "record_retention_years",
        "handover_policy",
        "handover_officer",
    )
}
PASSWORD_METHOD_LABELS = {
    "password": gettext_lazy("初期パスワード"),
    "link": gettext_lazy("設定用リンク"),
}


def role_label(code) -> str:
    return str(dict(Role.choices).get(code, code))


def setting_value(value) -> str:
    if value is True:
        return _("する")
    if value is False:
        return _("しない")
    if value is None or value == "":
        return _("（なし）")
    return str(value)


def describe_event(event) -> str:
    """What happened, in words: the event's kind and its details, without a raw code."""
    details = event.details or {}
    kind = event.kind
    if kind == EventKind.STAFF_ADDED:
        return _("役割: %(role)s・%(method)s") % {
            "role": role_label(details.get("role")),
            "method": PASSWORD_METHOD_LABELS.get(details.get("method"), ""),
        }
    if kind == EventKind.ROLE_CHANGED:
        return _("%(old)s → %(new)s") % {
            "old": role_label(details.get("old")),
            "new": role_label(details.get("new")),
        }
    if kind == EventKind.SETTINGS_CHANGED:
        return "、".join(
            _("%(name)s: %(old)s → %(new)s")
            % {
                "name": SETTING_LABELS.get(change["field"], change["field"]),
                "old": setting_value(change["old"]),
                "new": setting_value(change["new"]),
            }
            for change in details.get("changes", [])
        )
    if kind == EventKind.TWO_FACTOR_RESET:
        return _("認証アプリ %(count)s 件を削除") % {"count": details.get("devices", 0)}
    if kind == EventKind.UNLOCKED:
        return _("失敗記録 %(count)s 件を削除") % {"count": details.get("attempts", 0)}
    if kind == EventKind.CLIENTS_IMPORTED:
        return _("%(filename)s: 新規 %(created)s 件・更新 %(updated)s 件・スキップ %(skipped)s 件") % {
            "filename": details.get("filename", ""),
            "created": details.get("created", 0),
            "updated": details.get("updated", 0),
            "skipped": details.get("skipped", 0),
        }
    return ""
