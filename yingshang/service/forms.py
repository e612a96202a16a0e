"""The page forms of 万人助万企. They parse; the rules are in ``services``."""

import json

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core import roles
from yingshang.core.forms import BootstrapForm, MultipleFileField
from yingshang.credit.models import Grade
from yingshang.directory.models import Department, Enterprise

from yingshang.tickets.models import Category

from .models import Bank, FinancingNeed, Need, Policy, SupplyWatch, TaskForce, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PROBLEM_ROWS = 3


def _problem_label_text(n: int) -> str:
    return gettext("Problem %(n)d (it goes into the ledger)") % {"n": n}


_problem_label = lazy(_problem_label_text, str)


def _bureaus():
    return Department.objects.filter(kind=Department.Kind.BUREAU, active=True)


def _words(value: str) -> list[str]:
    return [w for w in (value or "").replace("，", ",").replace("、", ",").split(",") if w.strip()]


class CampaignForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.ModelChoiceField(label=_("Organised by"), queryset=Department.objects.filter(active=True))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    bureaus = forms.ModelMultipleChoiceField(label=_("Firms of the bureaus (none: all)"), required=False,
                                             queryset=_bureaus(), widget=forms.CheckboxSelectMultiple)
    industries = forms.CharField(label=_("Industry contains (words separated by commas; empty: any)"),
                                 max_length=300, required=False)
    sizes = forms.MultipleChoiceField(label=_("Sizes (none: any)"), choices=Enterprise.Size.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    key_only = forms.BooleanField(label=_("Key enterprises only"), required=False)
    description = forms.CharField(label=_("What the visits are for (the officials read it)"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_industries(self):
        return _words(self.cleaned_data["industries"])


class AssignForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.none())
    official = forms.ModelChoiceField(label=_("Official"), queryset=None)

    def __init__(self, *args, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["enterprise"].queryset = firms if firms is not None else Enterprise.objects.none()
        self.fields["official"].queryset = get_user_model().objects.filter(
            groups__name__in=[roles.STEWARD, roles.LEADER], is_active=True).distinct().order_by("last_name",
                                                                                                  "first_name")
        self.fields["official"].label_from_instance = lambda u: u.get_full_name() or u.username


class VisitForm(BootstrapForm):
    """A visit on a phone: the firm, when and how, what was discussed, up to three problems, the needs, the
    policies handed over, photos."""

    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.none())
    campaign = forms.ModelChoiceField(label=pgettext_lazy("visits", "Campaign"), queryset=None, required=False)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    form = forms.ChoiceField(label=_("How"), choices=Visit.Form.choices, widget=forms.RadioSelect,
                             initial=Visit.Form.ONSITE)
    companions = forms.CharField(label=_("Who else went"), max_length=200, required=False)
    discussion = forms.CharField(label=_("What was discussed (the firm reads it)"), max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    needs = forms.MultipleChoiceField(label=_("Needs the firm voiced"), choices=Need.Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    needs_detail = forms.CharField(label=_("About the needs (the firm reads it)"), max_length=300, required=False)
    policies = forms.ModelMultipleChoiceField(label=_("Policies handed over"), queryset=Policy.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    photos = MultipleFileField(label=_("Photos"), required=False)
    internal_note = forms.CharField(label=_("Note for officials (the firm does not see it)"), max_length=5000,
                                    required=False, widget=forms.Textarea(attrs={"rows": 2}))

    for _i in range(PROBLEM_ROWS):
        locals()[f"problem_{_i}_title"] = forms.CharField(
            label=_problem_label(_i + 1), max_length=120, required=False)
        locals()[f"problem_{_i}_category"] = forms.ModelChoiceField(
            label=_("Category"), queryset=Category.objects.filter(active=True).select_related("parent"),
            required=False)
        locals()[f"problem_{_i}_description"] = forms.CharField(
            label=_("Details (the firm and the departments read them)"), max_length=5000, required=False,
            widget=forms.Textarea(attrs={"rows": 2}))
    del _i

    def __init__(self, *args, firms=None, campaigns=None, policies=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if firms is not None:
            self.fields["enterprise"].queryset = firms
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns
        if policies is not None:
            self.fields["policies"].queryset = policies
        if editing:
            del self.fields["enterprise"], self.fields["campaign"]

    def problem_rows(self):
        return [(self[f"problem_{i}_title"], self[f"problem_{i}_category"], self[f"problem_{i}_description"])
                for i in range(PROBLEM_ROWS)]

    def clean(self):
        d = super().clean()
        problems = []
        for i in range(PROBLEM_ROWS):
            title = (d.get(f"problem_{i}_title") or "").strip()
            if not title:
                continue
            if d.get(f"problem_{i}_category") is None:
                self.add_error(f"problem_{i}_category", _("Choose the category of the problem."))
                continue
            problems.append({"title": title, "category": d[f"problem_{i}_category"],
                             "description": d.get(f"problem_{i}_description") or title})
        d["problems"] = problems
        # the page has one line about the needs as a whole: it goes with the first (the API takes one per need)
        d["need_list"] = [{"kind": k, "detail": d.get("needs_detail", "") if i == 0 else ""}
                          for i, k in enumerate(d.get("needs") or [])]
        return d


class PolicyForm(BootstrapForm):
    """A policy with its conditions: the common ones as fields (all must hold), or any tree as JSON."""

    title = forms.CharField(label=_("Title"), max_length=200)
    issuer = forms.CharField(label=_("Issued by"), max_length=100)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    effective_on = forms.DateField(label=_("In effect from"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE, required=False)
    benefit = forms.CharField(label=_("The benefit (the firm reads it)"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("Amount (yuan, at most)"), max_digits=14, decimal_places=2, min_value=0,
                                required=False)
    paying_department = forms.ModelChoiceField(label=_("Paying department"),
                                               queryset=Department.objects.filter(active=True))
    window_opens = forms.DateField(label=_("Applications from"), widget=DATE, required=False)
    window_closes = forms.DateField(label=_("Applications until"), widget=DATE, required=False)
    how_to_apply = forms.CharField(label=_("What the firm does (the firm reads it)"), max_length=5000,
                                   required=False, widget=forms.Textarea(attrs={"rows": 3}))
    automatic = forms.BooleanField(label=_("No application needed (paid to the firms that qualify)"), required=False)
    pay_within = forms.IntegerField(label=_("Paid within (working days of an application)"), min_value=1,
                                    max_value=250, initial=60, required=False)
    # the conditions, each optional; all that are given must hold
    c_industry = forms.CharField(label=_("Industry contains (words separated by commas)"), max_length=300,
                                 required=False)
    c_size = forms.MultipleChoiceField(label=_("Size"), choices=Enterprise.Size.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    c_bureau = forms.ModelMultipleChoiceField(label=_("Service bureau"), queryset=_bureaus(), required=False,
                                              widget=forms.CheckboxSelectMultiple, to_field_name="code")
    c_age_min = forms.IntegerField(label=_("Registered at least (years)"), min_value=0, max_value=200,
                                   required=False)
    c_age_max = forms.IntegerField(label=_("Registered at most (years)"), min_value=0, max_value=200,
                                   required=False)
    c_key = forms.BooleanField(label=_("Key enterprises only"), required=False)
    c_grade = forms.MultipleChoiceField(label=_("Credit class"), choices=Grade.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    c_tax_a = forms.BooleanField(label=_("Tax credit class A"), required=False)
    c_rd_min = forms.DecimalField(label=_("R&D share at least (%)"), min_value=0, max_value=100, decimal_places=2,
                                  required=False)
    c_headcount_min = forms.IntegerField(label=_("Headcount at least"), min_value=0, max_value=10**7,
                                         required=False)
    c_headcount_max = forms.IntegerField(label=_("Headcount at most"), min_value=0, max_value=10**7,
                                         required=False)
    c_revenue_min = forms.DecimalField(label=_("Revenue at least (yuan)"), min_value=0, max_digits=16,
                                       decimal_places=2, required=False)
    c_revenue_max = forms.DecimalField(label=_("Revenue at most (yuan)"), min_value=0, max_digits=16,
                                       decimal_places=2, required=False)
    conditions_json = forms.CharField(
        label=_("Or the conditions as data (all / any / not), replacing the fields above"), required=False,
        max_length=20000, widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}))

    CONDITION_FIELDS = (("c_industry", "industry", "contains"), ("c_size", "size", "in"),
                        ("c_bureau", "bureau", "in"), ("c_age_min", "age_years", "gte"),
                        ("c_age_max", "age_years", "lte"), ("c_key", "key", "is"), ("c_grade", "credit_grade", "in"),
                        ("c_tax_a", "tax_a", "is"), ("c_rd_min", "rd_share", "gte"),
                        ("c_headcount_min", "headcount", "gte"), ("c_headcount_max", "headcount", "lte"),
                        ("c_revenue_min", "revenue", "gte"), ("c_revenue_max", "revenue", "lte"))

    def clean(self):
        d = super().clean()
        raw = (d.get("conditions_json") or "").strip()
        if raw:
            try:
                d["conditions"] = json.loads(raw)
            except ValueError:
                self.add_error("conditions_json", _("This is not valid JSON."))
            return d
        leaves = []
        for name, attr, op in self.CONDITION_FIELDS:
            value = d.get(name)
            if value in (None, "", [], False) or (hasattr(value, "exists") and not value.exists()):
                continue
            if name == "c_industry":
                value = _words(value)
            elif name == "c_bureau":
                value = [b.code for b in value]
            elif op in ("gte", "lte"):
                value = str(value)
            leaves.append({"attr": attr, "op": op, "value": value})
        d["conditions"] = {"all": leaves}
        return d

    @classmethod
    def initial_for(cls, p: Policy) -> dict:
        initial = {k: getattr(p, k) for k in ("title", "issuer", "document_number", "effective_on", "expires_on",
                                              "benefit", "amount", "paying_department", "window_opens",
                                              "window_closes", "how_to_apply", "automatic", "pay_within")}
        cond = p.conditions or {"all": []}
        simple = set(cond) == {"all"} and all("attr" in c for c in cond["all"])
        by_leaf = {(attr, op): name for name, attr, op in cls.CONDITION_FIELDS}
        if simple and len({(c["attr"], c["op"]) for c in cond["all"]}) == len(cond["all"]):
            for c in cond["all"]:
                name = by_leaf[(c["attr"], c["op"])]
                v = c["value"]
                initial[name] = "，".join(v) if name == "c_industry" else v
        else:
            initial["conditions_json"] = json.dumps(cond, ensure_ascii=False)
        return initial


class FactsForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    revenue = forms.DecimalField(label=_("Revenue (yuan)"), min_value=0, max_digits=16, decimal_places=2,
                                 required=False)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, max_value=10**7, required=False)
    rd_expense = forms.DecimalField(label=_("R&D spending (yuan)"), min_value=0, max_digits=16, decimal_places=2,
                                    required=False)


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(label=_("Why it is withdrawn (officials read it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.none())
    amount_requested = forms.DecimalField(label=_("Amount applied for (yuan)"), min_value=0, max_digits=14,
                                          decimal_places=2)
    statement = forms.CharField(label=_("What the firm states (the department reads it)"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = firms if firms is not None else Enterprise.objects.none()


class PaymentForm(BootstrapForm):
    voucher = forms.CharField(label=_("Payment voucher number"), max_length=60)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class NeedForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.none())
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=1, max_digits=14, decimal_places=2)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    collateral = forms.CharField(label=_("Collateral"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=FinancingNeed.Urgency.choices, widget=forms.RadioSelect,
                                initial=FinancingNeed.Urgency.NORMAL)

    def __init__(self, *args, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = firms if firms is not None else Enterprise.objects.none()


class ProductForm(BootstrapForm):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.filter(active=True))
    name = forms.CharField(label=_("Name"), max_length=100)
    rate_min = forms.DecimalField(label=_("Rate from (% a year)"), min_value=0, max_value=100, decimal_places=2)
    rate_max = forms.DecimalField(label=_("Rate up to (% a year)"), min_value=0, max_value=100, decimal_places=2)
    term_months = forms.IntegerField(label=_("Term up to (months)"), min_value=1, max_value=360)
    amount_min = forms.DecimalField(label=_("Amount from (yuan)"), min_value=0, max_digits=14, decimal_places=2,
                                    initial=0)
    amount_max = forms.DecimalField(label=_("Amount up to (yuan)"), min_value=1, max_digits=14, decimal_places=2)
    conditions = forms.JSONField(label=_("Eligibility (as data: all / any / not)"), required=False,
                                 initial={"all": []}, widget=forms.Textarea(attrs={"rows": 2,
                                                                                   "class": "font-monospace"}))
    description = forms.CharField(label=_("Description (firms read it)"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    banks = forms.ModelMultipleChoiceField(label=_("Banks"), queryset=Bank.objects.filter(active=True),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    firms = forms.ModelMultipleChoiceField(label=_("Firms"), queryset=Enterprise.objects.filter(
        status=Enterprise.Status.OPERATING).order_by("name"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))


class TaskForceForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Part of (a command)"), queryset=TaskForce.objects.filter(
        status=TaskForce.Status.ACTIVE, parent__isnull=True), required=False)
    lead = forms.ModelChoiceField(label=_("Lead leader"), queryset=None)
    members = forms.ModelMultipleChoiceField(label=_("Members (officials of any department)"), queryset=None,
                                             required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False)
    accept_hours = forms.IntegerField(label=_("Accept within (hours)"), min_value=1, max_value=720, initial=2)
    respond_hours = forms.IntegerField(label=_("First response within (hours)"), min_value=1, max_value=720,
                                       initial=4)
    resolve_hours = forms.IntegerField(label=_("Resolve within (hours)"), min_value=1, max_value=720, initial=24)
    rules = forms.CharField(label=_("Working rules (officials read them)"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        self.fields["lead"].queryset = users.filter(groups__name=roles.LEADER).distinct()
        self.fields["members"].queryset = users.filter(groups__name__in=roles.STAFF_ROLES).distinct()
        for name in ("lead", "members"):
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.username


class MembersForm(BootstrapForm):
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["members"].queryset = get_user_model().objects.filter(
            is_active=True, groups__name__in=roles.STAFF_ROLES).distinct().order_by("last_name", "first_name")
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.username


class SupplyAddForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Firm"), queryset=Enterprise.objects.filter(
        status=Enterprise.Status.OPERATING).order_by("name"))
    supplies = forms.CharField(label=_("Supplies (what, to whom)"), max_length=200, required=False)


class SupplyUpdateForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Status"), choices=SupplyWatch.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Situation (officials read it)"), max_length=300, required=False)
