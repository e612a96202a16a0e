from django import forms

from .uscc import normalize_uscc, validate_uscc


class USCCFormField(forms.CharField):
    """A form field that normalises case and spaces, then validates the check character."""

    default_validators = [validate_uscc]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_uscc(super().to_python(value))


class BootstrapForm(forms.Form):
    """Gives every widget the Bootstrap class it needs, and marks fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            w = field.widget
            if isinstance(w, (forms.RadioSelect, forms.CheckboxInput)):
                w.attrs["class"] = "form-check-input"
                continue
            if isinstance(w, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(w, forms.Select) else "form-control"
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                w = self.fields[name].widget
                w.attrs["class"] = (w.attrs.get("class", "") + " is-invalid").strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def add_errors(form, exc) -> None:
    """Put a service's ``ValidationError`` on the form: field messages on their fields, the rest on top."""
    for field, msgs in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)
