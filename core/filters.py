import django_filters
from django import forms

from .forms import WIDGET_RENDERER, list_choices


class BootstrapFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap 5 classes, for filter bars rendered field by field (by the
    project's widget renderer, core.forms.WIDGET_RENDERER)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_bootstrap_classes", False):
            form.renderer = WIDGET_RENDERER
            for field in form.fields.values():
                list_choices(field)
                widget = field.widget
                if isinstance(widget, forms.CheckboxInput):
                    css = "form-check-input"
                elif isinstance(widget, forms.Select):
                    css = "form-select"
                else:
                    css = "form-control"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            form._bootstrap_classes = True
        return form
