"""万人助万企: service campaigns and the visits officials pay to firms, the policies for firms (惠企政策) with
their conditions as data, where they were delivered, and the yearly facts a firm's file lacks (revenue,
headcount, R&D). Workflow lives in ``services``; matching in ``matching``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Campaign(models.Model):
    """走访活动 (服务企业周, 春风送暖 …): a period, the firms in scope, the officials paired with them."""

    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="service_campaigns",
                                   verbose_name=_("organised by"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    description = models.TextField(_("what the visits are for (the officials read it)"), blank=True)
    # The firms in scope: operating firms of these bureaus (none: all), whose industry contains one of these
    # words (none: any), of these sizes (none: any), key firms only if asked.
    bureaus = models.ManyToManyField(Department, blank=True, related_name="+", verbose_name=_("bureaus"))
    industries = models.JSONField(_("industries"), default=list, blank=True)
    sizes = models.JSONField(_("sizes"), default=list, blank=True)
    key_only = models.BooleanField(_("key enterprises only"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("service campaign")
        verbose_name_plural = _("service campaigns")

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """An official paired with a firm for one campaign, instead of (or where there is no) steward."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assignments")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise"], name="one_official_per_firm")]


class Visit(models.Model):
    class Form(models.TextChoices):
        ONSITE = "onsite", _("on site")
        PHONE = "phone", _("by phone")
        VIDEO = "video", _("by video")

    number = models.CharField(_("number"), max_length=20, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                                 verbose_name=_("campaign"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="service_visits",
                                   verbose_name=_("enterprise"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("recorded by"))
    companions = models.CharField(_("who else went"), max_length=200, blank=True)
    visited_on = models.DateField(_("visited on"))
    form = models.CharField(_("form"), max_length=8, choices=Form.choices, default=Form.ONSITE)
    discussion = models.TextField(_("what was discussed (the firm reads it)"))
    internal_note = models.TextField(_("note for officials"), blank=True)
    policies = models.ManyToManyField("Policy", blank=True, related_name="visits",
                                      verbose_name=_("policies handed over"))
    problems = models.ManyToManyField("tickets.Ticket", blank=True, related_name="+",
                                      verbose_name=_("problems collected"))
    confirmed_at = models.DateTimeField(_("confirmed by the firm at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(_("recorded at"))
    editable_until = models.DateTimeField(_("editable until"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"]),
                   models.Index(fields=["campaign", "enterprise"]),
                   models.Index(fields=["author", "-visited_on"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.number} {self.enterprise}"


class Need(models.Model):
    """A need the firm voiced on a visit (land, power, staff, financing, policy …)."""

    class Kind(models.TextChoices):
        LAND = "land", _("land")
        POWER = "power", _("power, water, gas")
        STAFF = "staff", _("staff")
        FINANCING = "financing", _("financing")
        POLICY = "policy", _("policy")
        MARKET = "market", _("market and orders")
        OTHER = "other", _("other")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="needs")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]


class Photo(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(upload_to="service/visits/%Y/%m/", max_length=200)
    name = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Policy(models.Model):
    """惠企政策: one policy for firms, its benefit, who pays, and the conditions a firm must meet (as data)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("in force")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    effective_on = models.DateField(_("in effect from"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    benefit = models.TextField(_("the benefit (the firm reads it)"))
    amount = models.DecimalField(_("amount (yuan, at most)"), max_digits=14, decimal_places=2, null=True, blank=True)
    paying_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("paying department"))
    window_opens = models.DateField(_("applications from"), null=True, blank=True)
    window_closes = models.DateField(_("applications until"), null=True, blank=True)
    how_to_apply = models.TextField(_("what the firm does (the firm reads it)"), blank=True)
    automatic = models.BooleanField(_("no application needed (免申即享)"), default=False)
    conditions = models.JSONField(_("conditions"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["status", "-effective_on"])]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """送政策上门: a policy brought to a firm — pushed to it, or handed over on a visit."""

    class Via(models.TextChoices):
        PUSH = "push", _("pushed")
        VISIT = "visit", _("handed over on a visit")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="deliveries")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=6, choices=Via.choices)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["enterprise", "policy"])]
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], condition=models.Q(via="push"),
                                               name="one_push_per_firm")]


class Facts(models.Model):
    """A firm's figures for one year, entered by the firm or a department: what policies and banks ask about."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="service_facts")
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    rd_expense = models.DecimalField(_("R&D spending (yuan)"), max_digits=16, decimal_places=2, null=True,
                                     blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_facts_per_year")]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")


class Event(EventBase):
    """Append-only: every change of a campaign, visit or policy, and a firm's figures (types in ``actions.py``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(EventBase.Meta):
        pass
