"""The page forms of the chains and 招商. They parse; the rules are in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core import roles
from yingshang.core.forms import BootstrapForm
from yingshang.directory.models import Department, Enterprise

from .models import Position, Segment, Target

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SegmentChoice(forms.ModelChoiceField):
    """A segment among every chain's: named with its chain."""

    def label_from_instance(self, obj):
        return f"{obj.chain.name} · {obj.name}"


def _firms():
    return Enterprise.objects.filter(status=Enterprise.Status.OPERATING).order_by("name")


class ChainForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    chief = forms.ModelChoiceField(label=_("Chain chief (a zone leader)"), queryset=None)
    office = forms.ModelChoiceField(label=_("Chain office"), queryset=Department.objects.filter(active=True))
    anchors = forms.ModelMultipleChoiceField(label=_("Leading firms of the chain"), queryset=_firms(), required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["chief"].queryset = get_user_model().objects.filter(groups__name=roles.LEADER, is_active=True)
        self.fields["anchors"].queryset = _firms()


class SegmentForm(BootstrapForm):
    name = forms.CharField(label=_("Segment"), max_length=60)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Segment.objects.none(), required=False,
                                    empty_label=_("(top of the chain)"))
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices, initial=Position.MID)
    is_key = forms.BooleanField(label=_("Key segment"), required=False)

    def __init__(self, *args, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Segment.objects.filter(chain=chain)


class MoveForm(BootstrapForm):
    parent = forms.ModelChoiceField(label=_("Put under"), queryset=Segment.objects.none(), required=False,
                                    empty_label=_("(top of the chain)"))

    def __init__(self, *args, segment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Segment.objects.filter(chain_id=segment.chain_id).exclude(pk=segment.pk)


class PlacementForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.none())
    products = forms.CharField(label=_("Products"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = _firms()


class RelationForm(BootstrapForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Enterprise.objects.none())
    supplier = forms.ModelChoiceField(label=_("Supplier in the zone"), queryset=Enterprise.objects.none(),
                                      required=False)
    supplier_name = forms.CharField(label=_("…or supplier outside the zone"), max_length=200, required=False)
    supplier_region = forms.CharField(label=_("Where it is (outside supplier)"), max_length=60, required=False)
    product = forms.CharField(label=_("Product"), max_length=100)
    segment = SegmentChoice(label=_("Segment"), queryset=Segment.objects.none(), required=False)
    share = forms.DecimalField(label=_("Share of the customer's need (%)"), required=False, min_value=0,
                               max_value=100, max_digits=5, decimal_places=2)
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = self.fields["supplier"].queryset = _firms()
        self.fields["segment"].queryset = Segment.objects.select_related("chain").order_by("chain__order", "order")


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("XLSX or CSV file"))


class TargetForm(BootstrapForm):
    name = forms.CharField(label=_("Firm's name"), max_length=200)
    region = forms.CharField(label=_("Where it is"), max_length=60)
    segment = SegmentChoice(label=_("Segment it would fill"), queryset=Segment.objects.none(), required=False)
    products = forms.CharField(label=_("Products"), max_length=200, required=False)
    supplies = forms.ModelMultipleChoiceField(label=_("Local firms it already supplies from afar"),
                                              queryset=Enterprise.objects.none(), required=False)
    contacts = forms.CharField(label=_("Contacts (officials read them)"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.select_related("chain").order_by("chain__order", "order")
        self.fields["supplies"].queryset = _firms()


class CampaignForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    team = forms.ModelChoiceField(label=_("Recruiting team"), queryset=Department.objects.filter(active=True))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class InviteForm(BootstrapForm):
    targets = forms.ModelMultipleChoiceField(label=_("Targets to invite"), queryset=Target.objects.none())
    expected_investment = forms.DecimalField(label=_("Expected investment (yuan)"), required=False, min_value=0,
                                             max_digits=16, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = Target.objects.filter(status=Target.Status.OPEN).order_by("name")


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason (officials read it)"), max_length=300)
