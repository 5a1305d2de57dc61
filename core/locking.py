"""Optimistic locking, one mechanism for every record a person edits.

- Model: a `lock_version` field (`LockVersionField()`), 1 when created.
- Form: `LockedFormMixin` carries the version the page was read at in a hidden field.
- Service: `check_version(instance, lock_version)` inside the service's transaction locks the row, refuses
  a stale version with `StaleEdit` (carrying the row as saved now) and moves the instance's version on;
  the service then saves. (`locked_row(model, pk, lock_version)` is the same for services that reload.)
- View: the form helpers turn a StaleEdit into a 409 page with a form error, the user's input kept, the
  hidden version moved to the one on record, and `conflict_rows` (field, saved value, your value).
"""

from django import forms
from django.db import models
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """Someone saved the row after the caller read it; `current` is the row as saved now."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def LockVersionField():  # noqa: N802 - reads like a field class in a model
    return models.PositiveIntegerField(default=1, editable=False)


def locked_row(model, pk: int, lock_version: int | None):
    """The row locked for update; StaleEdit when its version moved since the caller read it."""
    current = model._base_manager.select_for_update().get(pk=pk)
    if current.lock_version != lock_version:
        raise StaleEdit(current)
    return current


def check_version(instance, lock_version: int | None) -> None:
    """Before a service saves its edit of `instance` (a row that exists): refuse a stale `lock_version`,
    and set the instance's version to the next one. A new row (no pk) needs no check; a caller without a
    version read from a page (an import, a job) passes None: no check, but the version still moves on,
    so a page open elsewhere is refused."""
    if instance.pk is None:
        return
    if lock_version is None:
        current = type(instance)._base_manager.select_for_update().only("lock_version").get(pk=instance.pk)
    else:
        current = locked_row(type(instance), instance.pk, lock_version)
    instance.lock_version = current.lock_version + 1


def move_versions_on(model, records) -> None:
    """`check_version(record, None)` for many existing rows of `model` at once: lock them with one query
    and set each instance's version to the next one (an import)."""
    records = [record for record in records if record.pk is not None]
    if not records:
        return
    current = dict(
        model._base_manager.select_for_update()
        .filter(pk__in=[record.pk for record in records])
        .values_list("pk", "lock_version")
    )
    for record in records:
        record.lock_version = current[record.pk] + 1


class LockedFormMixin:
    """A form carrying the row's lock_version, so a stale save can be refused. After a refusal,
    `form.stale` is the row as saved now and `conflict_rows(form)` what differs."""

    stale = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return  # a new row: nothing to be stale against
        self.fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
        if not self.is_bound:
            self.initial["lock_version"] = instance.lock_version

    def read_version(self) -> int:
        return self.cleaned_data.get("lock_version") or 0

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("lock_version", None)
        return data

    def refuse_stale(self, stale: StaleEdit) -> None:
        """Keep the user's input, say why, and check the next save against the version now on record."""
        self.add_error(
            None,
            _(
                "保存できませんでした。あなたが編集している間に、ほかの人がこの内容を更新しました。"
                "下の「現在の保存内容」とあなたの入力を見比べ、必要な内容を反映してからもう一度保存してください。"
                "あなたの入力はそのまま残っています。"
            ),
        )
        data = self.data.copy()
        data[self.add_prefix("lock_version")] = stale.current.lock_version
        self.data = data
        self.stale = stale.current


def conflict_rows(form, current=None):
    """(label, saved value, your value) for each field where they differ."""
    current = current if current is not None else form.stale
    if current is None:
        return None
    rows = []
    for name, field in form.fields.items():
        if name == "lock_version" or not hasattr(current, name):
            continue
        saved = getattr(current, name)
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        if str(saved or "") != str(mine or ""):
            choices = dict(getattr(field, "choices", None) or [])
            try:
                rows.append((field.label, choices.get(saved, saved), choices.get(mine, mine)))
            except TypeError:  # unhashable values (lists of choices)
                rows.append((field.label, saved, mine))
    return rows


def status_of(form) -> int:
    """409 for a page refusing a stale save, else 200."""
    return 409 if getattr(form, "stale", None) is not None else 200
