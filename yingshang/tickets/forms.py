from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.directory.models import Department, Enterprise

from yingshang.core.forms import BootstrapForm, MultipleFileField  # noqa: F401

from .models import Category, Ticket, Urgency


def category_choices():
    """Categories grouped under their top level, as a select shows them."""
    tops = list(Category.objects.filter(parent__isnull=True, active=True).prefetch_related("children"))
    choices = [("", "—")]
    for top in tops:
        children = [c for c in top.children.all() if c.active]
        if children:
            choices.append((top.name, [(top.pk, _("%(name)s (other)") % {"name": top.name})]
                            + [(c.pk, c.name) for c in children]))
        else:
            choices.append((top.pk, top.name))
    return choices


class RaiseForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("In a sentence: what is the problem?")}))
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={
        "rows": 5, "placeholder": _("Where, since when, what you need from the zone.")}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Channel"), choices=Ticket.Channel.choices, initial=Ticket.Channel.WEB)
    is_historical = forms.BooleanField(label=_("A historical problem"), required=False)
    attachments = MultipleFileField(label=_("Photos or documents"), max_count=20)

    def __init__(self, *args, enterprises, channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.only_enterprise = enterprises.first() if enterprises.count() == 1 else None
        if self.only_enterprise is not None:  # a firm's own staff: nothing to choose
            self.fields["enterprise"].initial = self.only_enterprise.pk
            self.fields["enterprise"].widget = forms.HiddenInput()
        self.fields["category"].choices = category_choices()
        from django.urls import reverse

        self.fields["title"].widget.attrs.update({  # the firm's similar open problems, while the title is typed
            "hx-get": reverse("tickets:similar"), "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#similar", "hx-include": "[name='enterprise']", "autocomplete": "off"})
        if len(channels) > 1:  # the channels this person registers through (``permissions.channels_for``)
            labels = dict(Ticket.Channel.choices)
            self.fields["channel"].choices = [(c, labels[c]) for c in channels]
            self.fields["channel"].initial = channels[0]
        else:  # a firm's staff raise online: nothing to choose
            del self.fields["channel"]

    def clean_category(self):
        pk = self.cleaned_data["category"]
        try:
            return Category.objects.select_related("parent", "default_department").get(pk=pk, active=True)
        except Category.DoesNotExist:
            raise forms.ValidationError(_("Choose a category.")) from None


def filter_choices() -> dict:
    """Departments, bureaus and top-level categories for the ledger's filters (cached for a minute)."""
    from django.core.cache import cache

    def build():
        return {
            "departments": [(d.pk, d.name) for d in _departments()],
            "bureaus": [(d.pk, d.name) for d in Department.objects.filter(kind=Department.Kind.BUREAU)],
            "categories": [(c.pk, c.name) for c in Category.objects.filter(parent__isnull=True)],
        }

    return cache.get_or_set("tickets:filter-choices", build, timeout=60)


def _departments():
    return Department.objects.filter(active=True).exclude(kind=Department.Kind.CENTRE)


class LedgerFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Number, title or enterprise"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("open", _("Open"))] + list(Ticket.Status.choices))
    # Plain choices (not model choices): the ledger is the busiest page, and these lists change rarely.
    department = forms.TypedChoiceField(label=_("Lead department"), required=False, coerce=int, empty_value=None)
    bureau = forms.TypedChoiceField(label=_("Service bureau"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    group = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("Any")), ("warning", _("Due within a working day")), ("overdue", _("Overdue"))])
    late = forms.ChoiceField(required=False, choices=[("", ""), ("accept", "accept"), ("respond", "respond"),
                                                      ("resolve", "resolve")], widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Rating"), required=False, choices=[("", _("Any"))] + list(Ticket.Rating.choices))
    urgency = forms.ChoiceField(required=False, choices=[("", "")] + list(Urgency.choices), widget=forms.HiddenInput)
    historical = forms.BooleanField(label=_("Historical only"), required=False)
    in_charge = forms.BooleanField(label=_("Leader in charge"), required=False)
    urged = forms.BooleanField(label=_("Urged by the firm"), required=False)
    waiting = forms.ChoiceField(required=False, choices=[("", ""), ("extension", "extension"),
                                                         ("callback", "callback")], widget=forms.HiddenInput)
    created_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(required=False, choices=[(k, k) for k in (
        "-created", "created", "due", "-due", "number", "-number", "firm", "-firm", "department", "-department",
        "status", "-status")], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists = filter_choices()
        self.fields["department"].choices = [("", _("All departments"))] + lists["departments"]
        self.fields["bureau"].choices = [("", _("All bureaus"))] + lists["bureaus"]
        self.fields["category"].choices = [("", _("All categories"))] + lists["categories"]

    def clean(self):
        data = super().clean()
        for name in ("created_from", "created_to"):
            d = data.get(name)
            if d is not None and not 2000 <= d.year <= 2100:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        return data

    def to_filter(self):
        from .selectors import LedgerFilter

        d = self.cleaned_data if self.is_valid() else {}
        return LedgerFilter(
            status=d.get("status") or "", department=d.get("department"), bureau=d.get("bureau"),
            category=d.get("category"),
            enterprise=d.get("enterprise"), group=d.get("group"), due=d.get("due") or "", late=d.get("late") or "",
            rating=d.get("rating") or "", urgency=d.get("urgency") or "",
            historical=True if d.get("historical") else None, in_charge=True if d.get("in_charge") else None,
            urged=True if d.get("urged") else None,
            waiting=d.get("waiting") or "",
            created_from=d.get("created_from"), created_to=d.get("created_to"), q=d.get("q") or "",
            order=d.get("order") or "-created")
