from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core.forms import BootstrapForm, USCCFormField
from yingshang.directory.models import Department

from .models import Campaign, Hazard, Item, Result

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.filter(
        kind=Department.Kind.DEPARTMENT, active=True))
    departments = forms.ModelMultipleChoiceField(
        label=_("Participating departments (more than one: a joint inspection)"), required=False,
        queryset=Department.objects.filter(kind=Department.Kind.DEPARTMENT, active=True),
        widget=forms.CheckboxSelectMultiple)
    items = forms.ModelMultipleChoiceField(label=_("Items"), queryset=Item.objects.filter(active=True)
                                           .select_related("department"), widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    industry = forms.CharField(label=_("Only firms of the industry"), max_length=100, required=False)
    ratio_a = forms.DecimalField(label=_("Class A ratio"), min_value=0, max_value=1, initial="0.02", decimal_places=4)
    ratio_b = forms.DecimalField(label=_("Class B ratio"), min_value=0, max_value=1, initial="0.05", decimal_places=4)
    ratio_c = forms.DecimalField(label=_("Class C ratio"), min_value=0, max_value=1, initial="0.10", decimal_places=4)
    ratio_d = forms.DecimalField(label=_("Class D ratio"), min_value=0, max_value=1, initial="0.30", decimal_places=4)
    count_a = forms.IntegerField(label=_("or a fixed count of class A"), min_value=0, required=False)
    count_b = forms.IntegerField(label=_("or a fixed count of class B"), min_value=0, required=False)
    count_c = forms.IntegerField(label=_("or a fixed count of class C"), min_value=0, required=False)
    count_d = forms.IntegerField(label=_("or a fixed count of class D"), min_value=0, required=False)
    bureau = forms.ModelChoiceField(label=_("Only firms of the service bureau"), required=False,
                                    queryset=Department.objects.filter(kind=Department.Kind.BUREAU, active=True))
    min_inspectors = forms.IntegerField(label=_("Inspectors per firm"), min_value=2, max_value=10, initial=2)
    cap = forms.IntegerField(label=_("Firms per inspector (0: no cap)"), min_value=0, max_value=1000, initial=0)
    quiet_months = forms.IntegerField(label=_("No repeat within (months)"), min_value=0, max_value=36, initial=6)


class FreezeForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for the re-draw (published)"), max_length=300, required=False)


class SeedForm(BootstrapForm):
    seed = forms.CharField(label=_("Seed (e.g. 20 dice digits from the witnesses)"), max_length=200, required=False,
                           strip=False,
                           help_text=_("Empty: twenty digits from the system's secure random source."))
    note = forms.CharField(label=_("Drawing session (place, witnesses)"), max_length=300, required=False)


class ResultForm(BootstrapForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    outcome = forms.ChoiceField(label=_("Result"), choices=Result.Outcome.choices)
    note = forms.CharField(label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo"), required=False)
    requirement = forms.CharField(label=_("Rectification required"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    workdays = forms.IntegerField(label=_("Within (working days)"), min_value=1, max_value=120, required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items


class EvidenceForm(BootstrapForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence"))


class VerifyForm(BootstrapForm):
    accept = forms.ChoiceField(label=_("Follow-up"), widget=forms.RadioSelect,
                               choices=[("yes", _("Rectified: close the order")), ("no", _("Not yet: back to the firm"))])
    note = forms.CharField(label=_("What the follow-up found"), widget=forms.Textarea(attrs={"rows": 2}))


class CampaignForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Campaign.Sector.choices)
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.filter(
        kind=Department.Kind.DEPARTMENT, active=True))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    description = forms.CharField(label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CheckForm(BootstrapForm):
    uscc = USCCFormField(label=_("Unified social credit code"))
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    checkers = forms.CharField(label=_("Checked by"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hazard = forms.CharField(label=_("Hazard found (empty: none)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Level"), choices=Hazard.Level.choices, initial=Hazard.Level.GENERAL)
    workdays = forms.IntegerField(label=_("Rectify within (working days)"), min_value=1, max_value=365,
                                  initial=10)


class RectifyForm(BootstrapForm):
    rectification = forms.CharField(label=_("Rectification checked"), widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Plans starting from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("until"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        from yingshang.core.forms import as_day_field

        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            as_day_field(field)
