from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yingshang.core import roles
from yingshang.core.forms import BootstrapForm
from yingshang.directory.models import Department, Enterprise

from .models import Kind, Phase, Project, Stage, Step, Supply, Template

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _staff(*names):
    return get_user_model().objects.filter(groups__name__in=names, is_active=True).distinct().order_by("username")


MAX_DAYS = 2000  # working days: eight years


class ProjectForm(BootstrapForm):
    name = forms.CharField(label=_("name"), max_length=200)
    investor = forms.CharField(label=_("investor"), max_length=30, required=False,
                               help_text=_("The investor's unified social credit code, if registered."))
    investor_name = forms.CharField(label=_("investor (not yet registered)"), max_length=200, required=False)
    bureau = forms.ModelChoiceField(label=_("service bureau"), queryset=Department.objects.filter(
        kind=Department.Kind.BUREAU, active=True).order_by("sort_order"))
    industry = forms.CharField(label=_("industry"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    investment_wan = forms.DecimalField(label=_("total investment (10,000 yuan)"), min_value=0, max_digits=12,
                                        decimal_places=2)
    land_mu = forms.DecimalField(label=_("land (mu)"), min_value=0, max_digits=10, decimal_places=2, required=False)
    site = forms.CharField(label=_("site"), max_length=200, required=False)
    capacity = forms.CharField(label=_("capacity"), max_length=100, required=False)
    is_returned = forms.BooleanField(label=_("returned investment"), required=False)
    returned_from = forms.CharField(label=_("returned from"), max_length=100, required=False)
    leader = forms.ModelChoiceField(label=_("leader"), queryset=_staff(roles.LEADER), required=False)
    steward = forms.ModelChoiceField(label=_("steward"), queryset=_staff(roles.STEWARD), required=False)
    first_contact_on = forms.DateField(label=_("first contact"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("approvals start"), required=False, widget=DATE)
    target_signing = forms.DateField(label=_("target signing"), required=False, widget=DATE)
    target_start = forms.DateField(label=_("target ground-breaking"), required=False, widget=DATE)
    target_production = forms.DateField(label=_("target production"), required=False, widget=DATE)
    power_kva = forms.IntegerField(label=_("power (kVA)"), min_value=0, max_value=2_000_000_000, required=False)
    power_status = forms.ChoiceField(label=_("power supply"), choices=Supply.choices, required=False)
    water_t_day = forms.IntegerField(label=_("water (t/day)"), min_value=0, max_value=2_000_000_000, required=False)
    water_status = forms.ChoiceField(label=_("water supply"), choices=Supply.choices, required=False)
    gas_m3_day = forms.IntegerField(label=_("gas (m³/day)"), min_value=0, max_value=2_000_000_000, required=False)
    gas_status = forms.ChoiceField(label=_("gas supply"), choices=Supply.choices, required=False)
    land_status = forms.ChoiceField(label=_("land supply"), choices=Supply.choices, required=False)
    lng = forms.DecimalField(label=_("longitude"), max_digits=9, decimal_places=6, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "data-coord": "lng"}))
    lat = forms.DecimalField(label=_("latitude"), max_digits=9, decimal_places=6, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "data-coord": "lat"}))

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _staff(roles.LEADER)
        self.fields["steward"].queryset = _staff(roles.STEWARD)
        if creating:
            self.fields["stage"] = forms.ChoiceField(label=_("stage"), choices=[
                (s, label) for s, label in Stage.choices if s not in (Stage.PAUSED, Stage.DROPPED)])
            self.fields["template"] = forms.ModelChoiceField(
                label=_("approval template"), queryset=Template.objects.filter(active=True), required=False,
                empty_label=_("(the default for its kind)"))
            for name in ("stage", "template"):
                self.fields[name].widget.attrs["class"] = "form-select"

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the version the form was built on

    def clean_investor(self):
        code = (self.cleaned_data.get("investor") or "").strip().upper()
        if not code:
            return None
        firm = Enterprise.objects.filter(uscc=code).first()
        if firm is None:
            raise forms.ValidationError(_("No registered firm has the credit code %(code)s."), params={"code": code})
        return firm

    def project_fields(self) -> dict:
        d = dict(self.cleaned_data)
        for k in ("stage", "template", "seen"):
            d.pop(k, None)
        d["investment"] = d.pop("investment_wan") * 10_000
        for k in ("industry", "investor_name", "site", "capacity", "returned_from", "power_status", "water_status",
                  "gas_status", "land_status"):
            d[k] = d.get(k) or ""
        return d

    @classmethod
    def initial_of(cls, p: Project) -> dict:
        from .services import EDITABLE

        data = {k: getattr(p, k) for k in EDITABLE if k not in ("investment", "investor")}
        data["investor"] = p.investor.uscc if p.investor_id else ""
        data["investment_wan"] = p.investment / 10_000
        return data


class StageForm(BootstrapForm):
    to = forms.ChoiceField(label=_("new stage"), choices=Stage.choices)
    on = forms.DateField(label=_("on"), widget=DATE, required=False)
    reason = forms.CharField(label=_("reason (when pausing or dropping)"), max_length=300, required=False)


class StepDoneForm(BootstrapForm):
    on = forms.DateField(label=_("on"), widget=DATE, required=False)
    note = forms.CharField(label=_("note (licence number, what was decided)"), max_length=500, required=False)


class StepEditForm(BootstrapForm):
    handler = forms.ModelChoiceField(label=_("handler"), queryset=get_user_model().objects.none(), required=False)
    committed_days = forms.IntegerField(label=_("committed limit (working days)"), min_value=1, max_value=MAX_DAYS)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    item_code = forms.CharField(label=_("catalogue item code"), max_length=60, required=False,
                                help_text=_("The firm's application for this item starts the step; its approval "
                                            "finishes it."))
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the version the form was built on

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if step is not None:  # a handler works in the step's department
            self.fields["handler"].queryset = get_user_model().objects.filter(
                staff_profile__department_id=step.department_id, is_active=True)


class StepAddForm(BootstrapForm):
    code = forms.SlugField(label=_("code"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=100)
    phase = forms.ChoiceField(label=_("approval stage"), choices=Phase.choices)
    department = forms.ModelChoiceField(label=_("responsible department"),
                                        queryset=Department.objects.filter(active=True).order_by("sort_order"))
    statutory_days = forms.IntegerField(label=_("statutory limit (working days)"), min_value=1, max_value=MAX_DAYS)
    committed_days = forms.IntegerField(label=_("committed limit (working days)"), min_value=1, max_value=MAX_DAYS)
    after = forms.ModelChoiceField(label=_("after"), queryset=Step.objects.none(), required=False)
    lag = forms.IntegerField(label=_("lag (working days)"), min_value=0, max_value=MAX_DAYS, initial=0, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["after"].queryset = project.steps.exclude(status=Step.Status.REMOVED).order_by("order")


class LinkForm(BootstrapForm):
    predecessor = forms.ModelChoiceField(label=_("after"), queryset=Step.objects.none())
    lag = forms.IntegerField(label=_("lag (working days)"), min_value=0, max_value=MAX_DAYS, initial=0, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["predecessor"].queryset = project.steps.exclude(status=Step.Status.REMOVED).order_by("order")


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("reason"), max_length=300)
