"""Filter-form widgets that write their HTML in Python.

List pages render a filter form on every request; Django's template-per-widget and template-per-option
rendering was a third of the village list's time. These produce the same markup directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else option["value"],
                    " selected" if option["selected"] else "",
                    option["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options)


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
