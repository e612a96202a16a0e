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
