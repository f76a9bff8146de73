"""Submitting a page's form back as it was shown, with a few fields changed: how a person edits."""

from django import forms


def shown_data(form: forms.BaseForm) -> dict:
    """What the browser would send for `form` as it renders: each field's current value."""
    data: dict = {}
    for name, field in form.fields.items():
        if field.disabled or isinstance(field.widget, forms.FileInput):
            continue
        key, value, widget = form.add_prefix(name), form[name].value(), field.widget
        if isinstance(widget, forms.MultiWidget):
            parts: list = list(value) if isinstance(value, list | tuple) else widget.decompress(value) or []
            for index, (part_widget, part) in enumerate(zip(widget.widgets, parts, strict=False)):
                data[f"{key}_{index}"] = part_widget.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = widget.format_value(value) or ""
    return data


def resubmit(client, url: str, changes: dict, *, form: str = "form", extra: dict | None = None):
    """GET `url`, then POST its form back with `changes` (and `extra`, such as a submit button's name)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    shown = page.context[form]
    if form == "adminform":
        shown = shown.form
    response = client.post(url, {**shown_data(shown), **changes, **(extra or {})})
    if response.status_code == 200 and response.context and form in response.context:
        shown = response.context[form]
        errors = (shown.form if form == "adminform" else shown).errors
        assert not errors, errors
    return response
