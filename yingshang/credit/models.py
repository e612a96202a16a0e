"""Credit records, the versioned rule set, scores with their history, red and black lists, joint
measures and their applications, objections and repairs. Workflow lives in ``services``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Kind(models.TextChoices):
    LICENSE = "license", _("administrative licence")
    PENALTY = "penalty", _("administrative penalty")
    INSPECTION = "inspection", _("inspection finding")
    ABNORMAL = "abnormal", _("abnormal operation list")
    SERIOUS_DISHONEST = "serious_dishonest", _("serious dishonesty list")
    JUDGMENT_DEFAULTER = "judgment_defaulter", _("judgment defaulter")
    TAX_A = "tax_a", _("tax credit class A")
    CONTRACT = "contract", _("contract-abiding")
    HONOUR = "honour", _("commendation or award")


# The official Chinese names, stored as written (list bases, import headers), whatever the UI language.
KIND_NAMES = {"license": "行政许可", "penalty": "行政处罚", "inspection": "抽查检查结果", "abnormal": "经营异常名录",
              "serious_dishonest": "严重违法失信名单", "judgment_defaulter": "失信被执行人", "tax_a": "纳税信用A级",
              "contract": "守合同重信用", "honour": "表彰奖励"}


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    GENERAL = "general", _("general")
    SERIOUS = "serious", _("serious")


class Grade(models.TextChoices):
    A = "A", _("A · low risk")
    B = "B", _("B · normal")
    C = "C", _("C · elevated risk")
    D = "D", _("D · high risk")


class RuleSet(models.Model):
    """One version of the zone's credit rules. An active version is never edited: changes are made in
    a new draft, which replaces it when activated."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("in force")
        RETIRED = "retired", _("retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    base = models.IntegerField(_("base score"), default=100)
    a_min = models.IntegerField(_("class A from"), default=110)
    b_min = models.IntegerField(_("class B from"), default=90)
    c_min = models.IntegerField(_("class C from"), default=70)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("credit rule set")
        verbose_name_plural = _("credit rule sets")
        constraints = [models.UniqueConstraint(fields=["status"], condition=Q(status="active"),
                                               name="one_active_credit_ruleset")]

    def __str__(self):
        return f"v{self.version} {self.name}"


class Rule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="rules")
    kind = models.CharField(_("record kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True,
                                help_text=_("Empty: every severity without a rule of its own."))
    delta = models.IntegerField(_("score effect"))
    counts_days = models.PositiveIntegerField(_("counts for (days)"), default=365,
                                              help_text=_("0: as long as the record is public."))
    cap = models.CharField(_("class at best"), max_length=1, choices=Grade.choices, blank=True)
    list_kind = models.CharField(_("puts on list"), max_length=5, blank=True,
                                 choices=[("red", _("red list")), ("black", _("black list"))])
    repair_after_days = models.PositiveIntegerField(_("repairable after (days)"), default=0)

    class Meta:
        ordering = ["kind", "severity"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "kind", "severity"], name="unique_credit_rule")]
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_severity_display() or '*'}: {self.delta:+d}"


class Record(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("in effect")
        OBJECTION = "objection", _("under objection")
        EXPIRED = "expired", _("expired")
        REPAIRED = "repaired", _("repaired")
        REVOKED = "revoked", _("revoked")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("entered")
        IMPORT = "import", _("imported")
        INSPECTION = "inspection", _("inspection")
        SYSTEM = "system", _("other system")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="credit_records",
                                   verbose_name=_("enterprise"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="credit_records",
                                   verbose_name=_("source department"))
    decision_number = models.CharField(_("decision number"), max_length=80)
    decided_on = models.DateField(_("decision date"))
    description = models.TextField(_("description"))
    public_from = models.DateField(_("public from"))
    public_to = models.DateField(_("public until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    origin_ref = models.CharField(_("origin reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        indexes = [models.Index(fields=["enterprise", "status"]), models.Index(fields=["status", "public_to"]),
                   models.Index(fields=["department", "-decided_on"])]
        constraints = [models.UniqueConstraint(fields=["department", "decision_number", "enterprise", "kind"],
                                               name="unique_credit_decision")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decision_number}"

    @property
    def is_negative(self) -> bool:
        from .scoring import KIND_SIGN, NEGATIVE

        return KIND_SIGN[self.kind] == NEGATIVE


class Event(EventBase):
    """Append-only: every change of a record, list entry, objection or repair (types in ``actions.py``)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="credit_events")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["enterprise", "at"])]

    @property
    def to_label(self) -> str:
        """The record's new state (list events carry the entry's state, not shown)."""
        if self.action.startswith("credit.list."):
            return ""
        return dict(Record.Status.choices).get(self.to_status, self.to_status)


class Standing(models.Model):
    """A firm's current score and class (one row per firm), for cheap lookups and filters."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.PROTECT, primary_key=True,
                                      related_name="credit_standing")
    score = models.IntegerField()
    grade = models.CharField(max_length=1, choices=Grade.choices, db_index=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    explanation = models.JSONField(default=list)
    digest = models.CharField(max_length=32, blank=True)  # fingerprint of the explanation
    since = models.DateField()  # the date the current class was first computed
    computed_on = models.DateField()


class ScoreHistory(models.Model):
    """Append-only: one row each time a firm's score, class or rule version changes, valid from ``as_of``."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="credit_history")
    as_of = models.DateField()
    score = models.IntegerField()
    grade = models.CharField(max_length=1, choices=Grade.choices)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    explanation = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["as_of", "id"]
        indexes = [models.Index(fields=["enterprise", "as_of"])]


class ListEntry(models.Model):
    class Kind(models.TextChoices):
        RED = "red", _("red list")
        BLACK = "black", _("black list")

    class Status(models.TextChoices):
        ACTIVE = "active", _("on the list")
        ENDED = "ended", _("ended")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="credit_list_entries",
                                   verbose_name=_("enterprise"))
    kind = models.CharField(_("list"), max_length=5, choices=Kind.choices)
    basis = models.TextField(_("basis"))
    record = models.ForeignKey(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="list_entries",
                               verbose_name=_("basis record"))
    automatic = models.BooleanField(_("automatic"), default=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.ACTIVE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("deciding department"))
    ended_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        indexes = [models.Index(fields=["kind", "status"]), models.Index(fields=["enterprise", "status"])]
        constraints = [models.UniqueConstraint(fields=["record", "kind"], condition=Q(status="active"),
                                               name="one_active_entry_per_record")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.enterprise}"


class Measure(models.Model):
    """联合奖惩措施: what applies to a firm of a class or on a list, and where the platform applies it."""

    class Effect(models.TextChoices):
        REWARD = "reward", _("reward")
        PUNISHMENT = "punishment", _("punishment")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    grades = models.CharField(_("for classes"), max_length=8, blank=True, help_text=_("e.g. “A” or “CD”."))
    list_kind = models.CharField(_("for list"), max_length=5, blank=True,
                                 choices=[("red", _("red list")), ("black", _("black list"))])
    applied_in = models.CharField(_("applied in"), max_length=100,
                                  help_text=_("The part of the platform (or outside system) that applies it."))
    description = models.TextField(_("content"), blank=True)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("joint measure")
        verbose_name_plural = _("joint measures")

    def __str__(self):
        return self.name

    def applies(self, grade: str | None, lists: set[str]) -> bool:
        if not self.active:
            return False
        return bool((grade and grade in self.grades) or (self.list_kind and self.list_kind in lists))


class MeasureApplication(models.Model):
    """Append-only log: a measure applied to a decision about a firm."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="credit_measure_log")
    context = models.CharField(max_length=60)  # tickets.register, inspections.draw, api …
    ref = models.CharField(max_length=120, blank=True)
    grade = models.CharField(max_length=1, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-at"])]
        verbose_name, verbose_name_plural = _("measure applied"), _("measures applied")


def evidence_path(instance, filename):
    return f"credit/{instance.record_id}/{filename}"


class Request(models.Model):
    """A firm's objection (异议) to a record or its application to repair it (信用修复)."""

    class Type(models.TextChoices):
        OBJECTION = "objection", _("objection")
        REPAIR = "repair", _("credit repair")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="requests", verbose_name=_("record"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["status", "due_at", "id"]
        verbose_name = _("objection or repair")
        verbose_name_plural = _("objections and repairs")
        constraints = [models.UniqueConstraint(fields=["record", "type"], condition=Q(status="pending"),
                                               name="one_pending_request_per_record")]
