"""What every write service shares."""


def assign_fields(instance, fields: dict, allowed: tuple[str, ...]):
    """Set `fields` on `instance`; a name outside `allowed` is a programming error."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
