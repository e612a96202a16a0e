"""The catalogue's page forms. They only parse; every rule is in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core.forms import BootstrapForm, MultipleFileField, USCCFormField

from .models import Score


class ApplyForm(BootstrapForm):
    """A firm applies for an item or a bundle: for which of its firms, the form's fields, a commitment."""

    enterprise = forms.ChoiceField(label=_("Applying firm"))
    commitment = forms.BooleanField(label=_("We commit that we meet the conditions, in place of the proofs "
                                            "(notification and commitment); a false commitment is revoked and recorded in our credit"),
                                    required=False)

    ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(self, *args, firms, fields, commitment_allowed=False, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(f.pk, f.name) for f in firms]
        if len(firms) == 1:
            self.fields["enterprise"].initial = firms[0].pk
        if not commitment_allowed:
            del self.fields["commitment"]
        self.form_keys = []
        for f in fields:
            name = f"f_{f['key']}"
            self.fields[name] = forms.CharField(label=f["label"], max_length=500, required=not f.get("optional"),
                                                help_text=f.get("help", ""))
            self.fields[name].widget.attrs["class"] = "form-control"
            self.form_keys.append((name, f["key"]))
        from yingshang.core import uploads

        self.material_keys = []
        for i, m in enumerate(materials):  # a file input per material (electronic copies of what is listed)
            name = f"m_{i}"
            self.fields[name] = MultipleFileField(label=f"{m.name}（{m.get_necessity_display()}）", max_count=5,
                                                  help_text=uploads.types_hint(5) if i == 0 else "")
            self.fields[name].widget.attrs.update({"class": "form-control", **uploads.input_attrs(5)})
            self.material_keys.append((name, m.name))

    def form_data(self) -> dict:
        return {key: self.cleaned_data.get(name, "") for name, key in self.form_keys}

    def uploaded(self) -> list:
        return [(material, f) for name, material in self.material_keys for f in self.cleaned_data.get(name) or []]


class CounterForm(BootstrapForm):
    """The window clerk records an application brought to the counter."""

    uscc = USCCFormField(label=_("Unified social credit code of the firm"))
    code = forms.CharField(label=_("Item code or bundle code"), max_length=60)
    visits = forms.IntegerField(label=_("Visits it took, this one included"), min_value=0, max_value=20, initial=1)

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.form_keys = []
        for f in fields:  # the chosen item's (or bundle's) application form, copied from the paper one
            name = f"f_{f['key']}"
            self.fields[name] = forms.CharField(label=f["label"], max_length=500, required=not f.get("optional"))
            self.fields[name].widget.attrs["class"] = "form-control"
            self.form_keys.append((name, f["key"]))

    def form_data(self) -> dict:
        return {key: self.cleaned_data.get(name, "") for name, key in self.form_keys}


class RatingForm(BootstrapForm):
    overall = forms.TypedChoiceField(label=_("Overall"), choices=Score.choices, coerce=int, widget=forms.RadioSelect)
    efficiency = forms.TypedChoiceField(label=_("Efficiency"), choices=Score.choices, coerce=int,
                                        widget=forms.RadioSelect)
    attitude = forms.TypedChoiceField(label=_("Attitude"), choices=Score.choices, coerce=int, widget=forms.RadioSelect)
    accuracy = forms.TypedChoiceField(label=_("Accuracy of the guide"), choices=Score.choices, coerce=int,
                                      widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (the department reads it)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    real_name = forms.BooleanField(label=_("In my name (the department may call me back)"), required=False,
                                   initial=True)


class RegistrationForm(BootstrapForm):
    """The market-regulation department records a firm it registered."""

    uscc = USCCFormField(label=_("Unified social credit code"))
    name = forms.CharField(label=_("Name"), max_length=200)
    scope = forms.CharField(label=_("Business scope"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    industry_code = forms.CharField(label=_("Industry code (GB/T 4754)"), max_length=10, required=False)
    registered_on = forms.DateField(label=_("Registration date"))
