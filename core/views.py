"""View helpers: a write service run from a form, its refusals shown on the form."""

from django.core.exceptions import ValidationError

from .locking import StaleEdit


def add_service_errors(form, error: ValidationError):
    """Put a write service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def apply_service(form, service, data=None, **kwargs):
    """Run a write service with the form's data (default: its cleaned data); errors land on the form."""
    try:
        return service(**kwargs, **(form.cleaned_data if data is None else data))
    except StaleEdit as stale:  # 409: the page shows both versions (core/locking.py)
        form.refuse_stale(stale)
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
