"""The page forms of the chains and 招商. They parse; the rules are in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core import roles
from yingshang.core.forms import BootstrapForm
from yingshang.directory.models import Department, Enterprise

from .models import Factor, LandStatus, Opinion, Position, Segment, Site, Target

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


class SiteForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    lng = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    lat = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    area_mu = forms.DecimalField(label=_("Land (mu)"), max_digits=10, decimal_places=2, min_value=0)
    land_status = forms.ChoiceField(label=_("Land status"), choices=LandStatus.choices)
    planned_use = forms.CharField(label=_("Planned use"), max_length=100, required=False)


class ConveneForm(BootstrapForm):
    project = forms.ModelChoiceField(label=_("Project (before land)"), queryset=None)
    sites = forms.ModelMultipleChoiceField(label=_("Candidate sites"), queryset=Site.objects.all())
    departments = forms.ModelMultipleChoiceField(label=_("Departments that must give an opinion"),
                                                 queryset=Department.objects.filter(active=True))
    meets_on = forms.DateField(label=_("Meeting on"), widget=DATE)
    limit_days = forms.IntegerField(label=_("Opinions within (working days)"), min_value=1, max_value=60, initial=5)
    agenda = forms.CharField(label=_("What is to be decided (officials read it)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .selectors import projects_before_land

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_before_land()
        self.fields["sites"].queryset = Site.objects.all()
        self.fields["departments"].queryset = Department.objects.filter(active=True).exclude(kind="taskforce")


class OpinionForm(BootstrapForm):
    view = forms.ChoiceField(label=_("Opinion"), choices=Opinion.View.choices, widget=forms.RadioSelect)
    site = forms.ModelChoiceField(label=_("Preferred site"), queryset=Site.objects.none(), required=False)
    text = forms.CharField(label=_("Written opinion (officials read it)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions, one per line (each becomes a step of the project)"),
                                 required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = consultation.sites.all() if consultation else Site.objects.none()


class ConcludeForm(BootstrapForm):
    site = forms.ModelChoiceField(label=_("Chosen site"), queryset=Site.objects.none())
    conclusion = forms.CharField(label=_("Conclusion (in the printed record the investor receives)"), max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = consultation.sites.all() if consultation else Site.objects.none()


def _areas():
    from yingshang.core import geo

    return [(n, n) for n in (f["properties"].get("name") for f in geo.zone_map()["features"]) if n]


class CapacityForm(BootstrapForm):
    area = forms.ChoiceField(label=_("Area of the zone"), choices=_areas)
    factor = forms.ChoiceField(label=_("Factor"), choices=Factor.choices)
    month = forms.CharField(label=_("From the month"), max_length=7,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2027-01"}))
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    department = forms.ModelChoiceField(label=_("Supplier"), queryset=Department.objects.filter(active=True))
    note = forms.CharField(label=_("Note (officials read it)"), max_length=200, required=False)

    def clean_month(self):
        from django.core.exceptions import ValidationError

        from yingshang.core import inputs

        try:
            return inputs.month(self.cleaned_data["month"], "month")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["month"]) from None


class MeetingForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    notes = forms.CharField(label=_("Minutes (officials read them)"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(BootstrapForm):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    factor = forms.ChoiceField(label=_("Factor"), choices=Factor.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    department = forms.ModelChoiceField(label=_("Who delivers"), queryset=Department.objects.filter(active=True))
    what = forms.CharField(label=_("What is to be delivered"), max_length=200)
    due_on = forms.DateField(label=_("By"), widget=DATE)

    def __init__(self, *args, **kwargs):
        from yingshang.projects.models import Project

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.exclude(stage="dropped").filter(
            investor__isnull=False, lng__isnull=False).order_by("name")
