"""Filter-form widgets that write their HTML in Python.

List pages render a filter form on every request; Django's template-per-widget and template-per-option
rendering was a third of the village list's time. These produce the same markup directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """Flat choices only (no option groups), which is all a filter needs."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        options = format_html_join("", '<option value="{}"{}>{}</option>', self._options(selected))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

    def _options(self, selected: set[str]):
        for choice, label in self.choices:
            shown = "" if choice is None else str(choice)
            yield shown, " selected" if shown in selected else "", label


class QuickInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        shown = self.format_value(value)
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, value_attr, flatatt(final_attrs)
        )


def quicken(field: forms.Field, css_class: str) -> None:
    """Swap a form field's widget for its quick twin, keeping attributes and choices."""
    widget = field.widget
    attrs = {**widget.attrs, "class": css_class}
    if isinstance(widget, forms.Select):
        field.widget = QuickSelect(attrs=attrs, choices=widget.choices)
    else:
        quick = QuickInput(attrs=attrs)
        quick.input_type = widget.input_type
        field.widget = quick
