from django import forms
from django.utils.translation import gettext_lazy as _

from .uscc import normalize_uscc, validate_uscc


class USCCFormField(forms.CharField):
    """A form field that normalises case and spaces, then validates the check character."""

    default_validators = [validate_uscc]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_uscc(super().to_python(value))


# A date is written and read as 年-月-日 whatever the browser's language (a date picker follows the browser's
# locale, so an English browser would show mm/dd/yyyy): these are the ways officials write one.
DAY_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]


class DayInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        from django.utils.translation import gettext_lazy

        base = {"inputmode": "numeric", "maxlength": "12", "autocomplete": "off",
                "placeholder": gettext_lazy("YYYY-MM-DD"), "pattern": r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{8}"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%d")
        return super().format_value(value)


def _year_in_range(value):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from . import inputs

    if value is not None and not inputs.MIN_YEAR <= value.year <= inputs.MAX_YEAR:
        raise ValidationError(_("Choose a date between %(a)d and %(b)d.") % {"a": inputs.MIN_YEAR, "b": inputs.MAX_YEAR})


def as_day_field(field: forms.DateField) -> None:
    """Make a date field read and write 年-月-日 in every browser, within the years the calendar counts."""
    field.widget = DayInput(attrs={k: v for k, v in field.widget.attrs.items() if k not in ("type",)})
    field.input_formats = DAY_FORMATS
    if _year_in_range not in field.validators:
        field.validators.append(_year_in_range)


class BootstrapForm(forms.Form):
    """Gives every widget the Bootstrap class it needs, marks fields with errors, makes dates 年-月-日, long
    lists searchable and file inputs offer only the accepted types (refusing an oversized file in the browser)."""

    SEARCHABLE_FROM = 12  # a select with more choices than this can be searched by typing

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                as_day_field(field)
            w = field.widget
            if isinstance(field, forms.FileField):
                from . import uploads

                count = getattr(field, "max_count", 1)
                w.attrs.update(uploads.input_attrs(count))
                field.help_text = field.help_text or uploads.types_hint(count)
            if isinstance(w, (forms.RadioSelect, forms.CheckboxInput)):
                w.attrs["class"] = "form-check-input"
                continue
            if isinstance(w, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(w, forms.Select) else "form-control"
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
            if isinstance(w, forms.SelectMultiple) or (isinstance(w, forms.Select) and isinstance(
                    field, forms.ModelChoiceField)):
                w.attrs.setdefault("data-search", "")

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

    def __init__(self, *, max_count: int = 20, **kwargs):
        kwargs.setdefault("required", False)
        self.max_count = max_count
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def add_errors(form, exc) -> None:
    """Put a service's ``ValidationError`` on the form: field messages on their fields, the rest on top."""
    for field, msgs in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


class AuditFilterForm(BootstrapForm):
    """The audit trail's filters: who, which firm, what kind of action, which days."""

    actor = forms.ModelChoiceField(queryset=None, required=False)
    firm = forms.CharField(max_length=60, required=False)
    kind = forms.ChoiceField(required=False)
    action = forms.ChoiceField(required=False)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)

    def __init__(self, *args, **kwargs):
        from . import activity, audit, roles
        from .actions import EVENT_TYPES
        from .models import User

        super().__init__(*args, **kwargs)
        f = self.fields
        f["actor"].queryset = User.objects.filter(groups__name__in=roles.STAFF_ROLES).distinct() \
            .order_by("last_name", "first_name", "username")
        f["actor"].label, f["firm"].label, f["kind"].label = _("Person"), _("Firm (name or credit code)"), _("Kind")
        f["action"].label, f["since"].label, f["until"].label = _("Action"), _("From"), _("To")
        f["actor"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"
        f["kind"].choices = [("", _("all"))] + activity.kinds()
        f["action"].choices = [("", _("all"))] + sorted(
            [(name, str(t.label)) for name, t in EVENT_TYPES.items()] + [(n, str(lb)) for n, lb in audit.LABELS.items()],
            key=lambda c: c[0])
        for name in ("actor", "action"):
            f[name].widget.attrs["data-search"] = ""

    def clean(self):
        d = super().clean()
        if d.get("since") and d.get("until") and d["since"] > d["until"]:
            self.add_error("until", _("The end is before the start."))
        return d

    def to_filter(self, user):
        """The filter for ``activity.rows``; a firm is found by part of its name or its credit code."""
        from yingshang.directory import selectors as directory

        from . import activity

        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        firms = None
        if d.get("firm"):
            firms = list(directory.enterprise_search(user, q=d["firm"]).values_list("pk", flat=True)[:200])
        return activity.Filter(actor=d["actor"].pk if d.get("actor") else None, firms=firms,
                               kinds=[d["kind"]] if d.get("kind") else [], action=d.get("action") or "",
                               since=d.get("since"), until=d.get("until"))
