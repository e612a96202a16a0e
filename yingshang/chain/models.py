"""产业链与招商: the chains the zone grows around its leading firms (链主), their segments, the firms placed on
them and who supplies whom; the library of firms outside the zone worth bringing in, and the campaigns
(六个回归) that invite them, with every contact, up to the signing that opens a project in the pipeline.

Nothing is deleted: a placement or a supply relation that ends is marked ended, a target dropped keeps its
record, every change is an ``Event``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Chain(models.Model):
    """An industrial chain (整车, 汽车零部件 …) under the chain-chief system: its 链长 (a zone leader), its
    链主 firms and the office (a department) that keeps it."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    chief = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("chain chief"))
    office = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="chains",
                               verbose_name=_("chain office"))
    anchors = models.ManyToManyField(Enterprise, related_name="anchored_chains", blank=True,
                                     verbose_name=_("leading firms"))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    UP = "up", _("upstream")
    MID = "mid", _("midstream")
    DOWN = "down", _("downstream")


class Segment(models.Model):
    """A link of the chain (动力总成 → 发动机 → 缸体铸件): a tree under the chain."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="segments", verbose_name=_("chain"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("part of"))
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=4, choices=Position.choices, default=Position.MID)
    is_key = models.BooleanField(_("key segment"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["chain", "order", "id"]
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chain_segment_name")]

    def __str__(self):
        return self.name


class Placement(models.Model):
    """A local firm working in a segment (a firm may sit on several)."""

    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="placements",
                                verbose_name=_("segment"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="chain_placements",
                                   verbose_name=_("enterprise"))
    products = models.CharField(_("products"), max_length=200, blank=True)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["segment", "enterprise"], condition=Q(active=True),
                                               name="chain_one_active_placement")]


class Relation(models.Model):
    """Firm A supplies firm B. A supplier outside the zone has no directory entry: its name and region are kept
    (those are what the gaps propose as targets)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered by officials")
        IMPORTED = "imported", _("imported")
        FIRM = "firm", _("declared by the firm")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("not yet confirmed")
        CONFIRMED = "confirmed", _("confirmed by the firm")
        DISPUTED = "disputed", _("disputed by the firm")
        ENDED = "ended", pgettext_lazy("relation", "ended")

    supplier = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="supplies_to", verbose_name=_("supplier"))
    supplier_name = models.CharField(_("supplier outside the zone"), max_length=200, blank=True)
    supplier_region = models.CharField(_("where the supplier is"), max_length=60, blank=True)
    customer = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="supplied_by",
                                 verbose_name=_("customer"))
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="relations",
                                verbose_name=_("segment"))
    product = models.CharField(_("product"), max_length=100)
    share = models.DecimalField(_("share of the customer's need (%)"), max_digits=5, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    since = models.DateField(_("since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=9, choices=Source.choices, default=Source.ENTERED)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    dispute = models.CharField(_("why the firm disputes it (officials read it)"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["customer__name", "product", "id"]
        verbose_name = _("supply relation")
        verbose_name_plural = _("supply relations")
        indexes = [models.Index(fields=["supplier", "status"]), models.Index(fields=["customer", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(supplier__isnull=False) | ~Q(supplier_name=""),
                                   name="chain_relation_has_supplier"),
            models.CheckConstraint(condition=~Q(supplier=models.F("customer")), name="chain_relation_not_self"),
        ]

    @property
    def supplier_label(self) -> str:
        return self.supplier.name if self.supplier_id else self.supplier_name

    @property
    def outside(self) -> bool:
        return self.supplier_id is None


class Target(models.Model):
    """A firm outside the zone worth bringing in (招商目标库)."""

    class Origin(models.TextChoices):
        ENTERED = "entered", _("entered")
        IMPORTED = "imported", _("imported")
        GAP = "gap", _("proposed from a gap")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("target", "open")
        SIGNED = "signed", pgettext_lazy("target", "signed")
        DROPPED = "dropped", pgettext_lazy("target", "dropped")

    number = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("where it is"), max_length=60)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
                                verbose_name=_("segment it would fill"))
    products = models.CharField(_("products"), max_length=200, blank=True)
    supplies = models.ManyToManyField(Enterprise, blank=True, related_name="+",
                                      verbose_name=_("local firms it supplies from afar"))
    contacts = models.TextField(_("contacts (officials read them)"), blank=True)
    origin = models.CharField(_("origin"), max_length=9, choices=Origin.choices, default=Origin.ENTERED)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("investment target")
        verbose_name_plural = _("investment targets")
        constraints = [models.UniqueConstraint(fields=["name"], name="chain_target_name")]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """A recruiting campaign (e.g. the 2021 供应保障暨落实“六个回归”动员会): the team that works it invites targets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    held_on = models.DateField(_("held on"))
    team = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("recruiting team"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("recruiting campaign")
        verbose_name_plural = _("recruiting campaigns")

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    INVITED = "invited", _("invited")
    TALKS = "talks", _("in talks")
    INTENT = "intent", _("letter of intent")
    SIGNED = "signed", pgettext_lazy("invitation", "signed")
    DECLINED = "declined", pgettext_lazy("invitation", "declined")


STAGE_ORDER = [Stage.INVITED, Stage.TALKS, Stage.INTENT, Stage.SIGNED]


class Invitation(models.Model):
    """A target invited by a campaign, its stage, and — once signed — the project it opened."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invitations",
                                 verbose_name=_("campaign"))
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="invitations",
                               verbose_name=_("target"))
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.INVITED, db_index=True)
    stage_since = models.DateField(_("in this stage since"))
    expected_investment = models.DecimalField(_("expected investment (yuan)"), max_digits=16, decimal_places=2,
                                              null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="invitation", verbose_name=_("project"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "target__name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "target"], name="chain_invite_once")]

    def __str__(self):
        return f"{self.campaign} · {self.target}"

    @property
    def status(self):  # the action table reads a record's state from ``status``
        return self.stage


class Contact(models.Model):
    """One contact with an invited target: a meeting, a visit or a call, who went and what was said."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        VISIT = "visit", pgettext_lazy("contact", "visit")
        CALL = "call", _("call")

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    on = models.DateField(_("on"))
    who = models.CharField(_("who went"), max_length=200)
    said = models.TextField(_("what was said (officials read it)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]


class Event(EventBase):
    """Append-only: every change of a chain, its segments, placements and relations, a target or an invitation."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    relation = models.ForeignKey(Relation, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="events")

    class Meta(EventBase.Meta):
        pass
