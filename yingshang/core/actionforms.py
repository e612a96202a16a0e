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


# --- on a record's page ---------------------------------------------------------------------------------------

def panels(table, user, obj, url, *, bound=None, open_=()) -> list[dict]:
    """The folded forms of the actions ``user`` may take on ``obj`` now (``core/_actions.html``): ``url(name)``
    is where each posts; a form that came back with errors (``bound``) and the ``open_`` ones are unfolded."""
    out = []
    for a in table.available(user, obj):
        form = (bound or {}).get(a.name) or form_class(a)(prefix=a.name)
        out.append({"action": a.name, "label": a.label, "style": a.style, "form": form, "url": url(a.name),
                    "open": bool(bound and a.name in bound) or a.name in open_})
    return out


def take(request, table, name: str, obj):
    """The action ``name`` of ``table`` posted from ``obj``'s page: who may act first (PermissionDenied), then
    the form, then the service. Returns None when done, else the bound form (its errors on it); raises
    IllegalTransition when the record moved on."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404
    from django.utils.translation import gettext as _

    from .forms import add_errors

    if name not in table.actions:
        raise Http404
    a = table[name]
    if not a.allowed(request.user, obj):  # who may act, before what they sent is read
        raise PermissionDenied
    form = form_class(a)(request.POST, request.FILES or None, prefix=a.name)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the form."))
        a.perform(request.user, obj, form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return form
    return None
