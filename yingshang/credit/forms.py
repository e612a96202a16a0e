from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core.forms import BootstrapForm, USCCFormField
from yingshang.directory.models import Department

from .models import Grade, Kind, ListEntry, Record, Severity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(BootstrapForm):
    uscc = USCCFormField(label=_("Unified social credit code"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL)
    department = forms.ModelChoiceField(label=_("Source department"), queryset=Department.objects.none(),
                                        required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    public_from = forms.DateField(label=_("Public from"), required=False, widget=DATE,
                                  help_text=_("Empty: the decision date."))
    public_to = forms.DateField(label=_("Public until"), required=False, widget=DATE,
                                help_text=_("Empty: as long as the rules count the record."))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments
            self.fields["department"].required = True


class FilterForm(BootstrapForm):
    q = forms.CharField(label=_("Firm, credit code or decision number"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all kinds"))] + Kind.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all"))] + Record.Status.choices, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(active=True),
                                        required=False, empty_label=_("all departments"))


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("XLSX or CSV file"))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RequestForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class DecideForm(BootstrapForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve / uphold")), ("reject", _("Reject"))])
    answer = forms.CharField(label=_("Answer to the firm"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ListEntryForm(BootstrapForm):
    uscc = USCCFormField(label=_("Unified social credit code"))
    kind = forms.ChoiceField(label=_("List"), choices=ListEntry.Kind.choices)
    basis = forms.CharField(label=_("Basis"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)


class RuleSetForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    base = forms.IntegerField(label=_("Base score"), min_value=1, max_value=1000)
    a_min = forms.IntegerField(label=_("Class A from"))
    b_min = forms.IntegerField(label=_("Class B from"))
    c_min = forms.IntegerField(label=_("Class C from"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(BootstrapForm):
    # The blank choice leaves the formset's extra row unchanged (and so ignored) until it is filled in.
    kind = forms.ChoiceField(label=_("Record kind"), choices=[("", "—")] + Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", _("any"))] + Severity.choices, required=False)
    delta = forms.IntegerField(label=_("Score effect"), min_value=-1000, max_value=1000)
    counts_days = forms.IntegerField(label=_("Counts for (days)"), min_value=0, max_value=36500)
    cap = forms.ChoiceField(label=_("Class at best"), choices=[("", "—")] + Grade.choices, required=False)
    list_kind = forms.ChoiceField(label=_("Puts on list"), required=False,
                                  choices=[("", "—"), ("red", _("red list")), ("black", _("black list"))])
    repair_after_days = forms.IntegerField(label=_("Repairable after (days)"), min_value=0, max_value=36500)


RuleFormSet = forms.formset_factory(RuleForm, extra=1, can_delete=True)
