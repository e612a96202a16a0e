"""双随机、一公开: inspection items, inspectors, plans with their verifiable draws, visits with results,
findings and rectification orders. Workflow lives in ``services``; the draw itself in ``draw``."""

from django.conf import settings
from django.db import models

from django.utils.translation import gettext_lazy as _

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Item(models.Model):
    """抽查事项清单: one inspection item of a department."""

    class Level(models.TextChoices):
        KEY = "key", _("key")
        GENERAL = "general", _("general")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="inspection_items",
                                   verbose_name=_("department"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    basis = models.TextField(_("legal basis"), blank=True)
    applies_to = models.CharField(_("applies to (industry, empty: all)"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department", "code"]
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")

    def __str__(self):
        return f"{self.code} {self.name}"


class Inspector(models.Model):
    """执法检查人员名录库."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="inspector", verbose_name=_("user account"))
    name = models.CharField(_("name"), max_length=60)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="inspectors",
                                   verbose_name=_("department"))
    certificate = models.CharField(_("certificate number"), max_length=40, unique=True)
    fields = models.CharField(_("fields"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department", "certificate"]
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")

    def __str__(self):
        return f"{self.name}（{self.certificate}）"

    @property
    def draw_id(self) -> str:
        return f"INS:{self.certificate}"


class Relation(models.Model):
    """A declared relation between an inspector and a firm: the inspector must not inspect it (回避)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="relations")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspector_relations")
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"], name="unique_inspector_relation")]


class Plan(models.Model):
    """An inspection plan: the items, the firms they may apply to, the departments taking part (joint when
    more than one: each drawn firm gets one visit covering every department's items) and the draw rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        FROZEN = "frozen", _("pools frozen")
        DRAWN = "drawn", _("drawn")
        CLOSED = "closed", _("completed")

    number = models.CharField(_("number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    batch = models.PositiveIntegerField(_("batch"), default=1)
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="lead_plans",
                                        verbose_name=_("lead department"))
    departments = models.ManyToManyField(Department, related_name="inspection_plans",
                                         verbose_name=_("participating departments"))
    items = models.ManyToManyField(Item, related_name="plans", verbose_name=_("items"))
    industry = models.CharField(_("firms of the industry (empty: all)"), max_length=100, blank=True)
    bureau = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("firms of the service bureau"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    ratios = models.JSONField(_("sampling per credit class"), default=dict)
    counts = models.JSONField(_("fixed counts per credit class (key items)"), default=dict, blank=True)
    min_inspectors = models.PositiveIntegerField(_("inspectors per firm"), default=2)
    cap = models.PositiveIntegerField(_("firms per inspector (0: no cap)"), default=0)
    quiet_months = models.PositiveIntegerField(_("no repeat within (months)"), default=6)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-batch", "-id"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_joint(self) -> bool:
        return self.departments.count() > 1


class Draw(models.Model):
    """One draw of a plan: the frozen pools (published with their hashes before any seed exists), the seed,
    and the published record. A re-draw is a new row with a reason; every one stays public."""

    class Status(models.TextChoices):
        FROZEN = "frozen", _("pools frozen, waiting for the seed")
        DRAWN = "drawn", _("drawn")
        SUPERSEDED = "superseded", _("superseded by a re-draw")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="draws")
    sequence = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FROZEN)
    firms = models.JSONField()  # the canonical firm pool
    inspectors = models.JSONField()  # the canonical inspector pool
    firms_hash = models.CharField(max_length=64)
    inspectors_hash = models.CharField(max_length=64)
    rules = models.JSONField()
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField(auto_now_add=True)
    seed = models.CharField(max_length=200, blank=True)
    seed_source = models.CharField(max_length=20, blank=True)  # "witnesses" | "system"
    seed_note = models.CharField(max_length=300, blank=True)  # who witnessed, where
    seeded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    drawn_at = models.DateTimeField(null=True, blank=True)
    record = models.JSONField(null=True, blank=True)
    record_hash = models.CharField(max_length=64, blank=True)
    reason = models.CharField(_("reason for the re-draw"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "sequence"], name="unique_draw_sequence")]
        verbose_name, verbose_name_plural = _("draw"), _("draws")


class Visit(models.Model):
    """One drawn firm's inspection: one visit covering every participating department's items."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        INSPECTING = "inspecting", _("being inspected")  # a first result is recorded
        DONE = "done", _("inspected")
        CLOSED = "closed", _("rectified and closed")

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspection_visits")
    grade = models.CharField(max_length=1)  # the firm's credit class when it was drawn
    position = models.PositiveIntegerField()  # draw order
    inspectors = models.ManyToManyField(Inspector, related_name="visits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    visited_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    publish_due = models.DateField(null=True, blank=True)  # 20 working days after completion
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw", "position"]
        indexes = [models.Index(fields=["enterprise", "status"])]
        verbose_name, verbose_name_plural = _("inspection"), _("inspections")


class Result(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", _("no problem found")
        ORDERED = "ordered", _("problem found, ordered to rectify")
        NOT_PUBLISHED = "not_published", _("information not published as required")
        UNREACHABLE = "unreachable", _("cannot be reached at the registered address")
        CASE = "case", _("case opened")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    note = models.TextField(blank=True)
    photo = models.FileField(upload_to="inspections/%Y/%m", blank=True, max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    credit_record_id = models.IntegerField(null=True, blank=True)  # the credit record it became, if any

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="one_result_per_item")]


class Order(models.Model):
    """A rectification order (责令整改) with its deadline in working days."""

    class Status(models.TextChoices):
        OPEN = "open", _("to rectify")
        SUBMITTED = "submitted", _("evidence submitted")
        VERIFIED = "verified", _("verified, closed")

    result = models.OneToOneField(Result, on_delete=models.PROTECT, related_name="order")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="orders")
    requirement = models.TextField(_("what must be done"))
    due_on = models.DateField(_("rectify by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    evidence = models.FileField(upload_to="inspections/evidence/%Y/%m", blank=True, max_length=300)
    evidence_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verify_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_on"])]


class Event(EventBase):
    """Append-only: every change of a plan, draw, visit or order (types in ``actions.py``)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="events")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(EventBase.Meta):
        pass




class Campaign(models.Model):
    """专项排查: a full-coverage safety campaign in one sector."""

    class Sector(models.TextChoices):
        HAZCHEM = "hazchem", _("hazardous chemicals")
        ROAD = "road", _("road traffic")
        FIRE = "fire", _("fire safety")
        CONSTRUCTION = "construction", _("building construction")
        GAS = "gas", _("gas")
        METALLURGY = "metallurgy", _("metal smelting")
        TRADE = "trade", _("industry and trade")
        SCHOOL = "school", _("school buildings and buses")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=14, choices=Sector.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="campaigns",
                                   verbose_name=_("lead department"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    description = models.TextField(_("scope"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.name


class Check(models.Model):
    """One firm checked in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="checks")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="campaign_checks")
    checked_on = models.DateField(_("checked on"))
    checkers = models.CharField(_("checked by"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["campaign", "checked_on"])]


class Hazard(models.Model):
    class Level(models.TextChoices):
        GENERAL = "general", _("general hazard")
        MAJOR = "major", _("major hazard")

    class Status(models.TextChoices):
        OPEN = "open", _("being rectified")
        RECTIFIED = "rectified", _("rectified")

    check_record = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="hazards")
    description = models.TextField(_("hazard"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    due_on = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification = models.TextField(_("rectification"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "level"])]


class CampaignEvent(EventBase):
    """Append-only: checks recorded and hazards rectified."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(EventBase.Meta):
        pass
