"""The page form and the API serializer of an action, both built from the fields its table entry declares
(``core.actions.Field``): an action's inputs are written once."""

from __future__ import annotations

from django import forms

from .forms import BootstrapForm, MultipleFileField


def _form_field(f):
    common = {"label": f.label, "required": f.required, "help_text": f.help_text}
    if f.kind == "text":
        return forms.CharField(max_length=f.max_length, widget=forms.Textarea(attrs={"rows": 3 if f.required else 2}),
                               **common)
    if f.kind == "line":
        return forms.CharField(max_length=f.max_length, **common)
    if f.kind == "choice":
        return forms.ChoiceField(choices=f.choice_list(), widget=forms.RadioSelect, **common)
    if f.kind == "yesno":
        return forms.TypedChoiceField(choices=f.choice_list(), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                      **common)
    if f.kind == "int":
        return forms.IntegerField(min_value=f.min_value, max_value=f.max_value, **common)
    if f.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if f.kind == "department":
        return forms.ModelChoiceField(queryset=f.queryset().none(), **common)
    if f.kind == "record":
        return forms.ModelChoiceField(queryset=f.queryset().none(), **common)
    if f.kind == "departments":
        return forms.ModelMultipleChoiceField(queryset=f.queryset().none(), **common,
                                              widget=forms.SelectMultiple(attrs={"size": 4}))
    if f.kind == "files":
        return MultipleFileField(label=f.label, help_text=f.help_text)
    if f.kind == "file":
        return forms.FileField(**common)
    raise ValueError(f"unknown field kind {f.kind}")


_forms: dict = {}
_serializers: dict = {}


def form_class(action) -> type[BootstrapForm]:
    key = (action.domain, action.name)
    if key not in _forms:
        _forms[key] = _build_form(action)
    return _forms[key]


def _build_form(action):
    specs = {f.name: f for f in action.fields}

    def __init__(self, *args, **kwargs):
        BootstrapForm.__init__(self, *args, **kwargs)
        for name, spec in specs.items():
            if spec.queryset is not None:
                self.fields[name].queryset = spec.queryset()

    attrs = {name: _form_field(f) for name, f in specs.items()}
    attrs["__init__"] = __init__
    attrs["action"] = action
    return type(f"{action.domain.title()}{action.name.title().replace('_', '')}Form", (BootstrapForm,), attrs)


def _serializer_field(f):
    from rest_framework import serializers

    common = {"required": f.required, "help_text": str(f.label)}
    if f.kind in ("text", "line"):
        extra = {} if f.required else {"allow_blank": True, "default": ""}
        return serializers.CharField(max_length=f.max_length, **extra, **common)
    if f.kind == "choice":
        return serializers.ChoiceField(choices=f.choice_list(), **common)
    if f.kind == "yesno":
        return serializers.BooleanField(**common)
    if f.kind == "int":
        return serializers.IntegerField(min_value=f.min_value, max_value=f.max_value, **common)
    if f.kind == "date":
        return serializers.DateField(**common)
    if f.kind == "department":
        return serializers.SlugRelatedField(slug_field=f.slug_field, queryset=f.queryset(), **common)
    if f.kind == "record":
        return serializers.PrimaryKeyRelatedField(queryset=f.queryset(), **common)
    if f.kind == "departments":
        return serializers.SlugRelatedField(slug_field=f.slug_field, queryset=f.queryset(), many=True,
                                            **({} if f.required else {"default": list}), **common)
    return None  # files are uploaded on the pages


def serializer_class(action):
    key = (action.domain, action.name)
    if key not in _serializers:
        _serializers[key] = _build_serializer(action)
    return _serializers[key]


def _build_serializer(action):
    from rest_framework import serializers

    attrs = {}
    for f in action.fields:
        field = _serializer_field(f)
        if field is not None:
            attrs[f.name] = field
    name = f"{action.domain.title()}{action.name.title().replace('_', '')}Request"
    return type(name, (serializers.Serializer,), attrs)
