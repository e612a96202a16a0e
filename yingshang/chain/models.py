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
    consultation = models.ForeignKey("Consultation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="events")
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="events")

    class Meta(EventBase.Meta):
        pass


# --- 选址会商: site consultation ---------------------------------------------------------------------------------

class LandStatus(models.TextChoices):
    CLEAN = "clean", _("land bank, ready to build")
    TO_ACQUIRE = "to_acquire", _("to be acquired")
    REZONING = "rezoning", _("planning being adjusted")
    SOLD = "sold", _("already granted")


class Site(models.Model):
    """A candidate site for projects, on the zone's map."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    area = models.CharField(_("area of the zone"), max_length=40, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6,
                              validators=[MinValueValidator(73), MaxValueValidator(136)])
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6,
                              validators=[MinValueValidator(3), MaxValueValidator(54)])
    area_mu = models.DecimalField(_("land (mu)"), max_digits=10, decimal_places=2,
                                  validators=[MinValueValidator(0)])
    land_status = models.CharField(_("land status"), max_length=10, choices=LandStatus.choices)
    planned_use = models.CharField(_("planned use"), max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("candidate site")
        verbose_name_plural = _("candidate sites")

    def __str__(self):
        return self.name


class Consultation(models.Model):
    """A site consultation meeting for a project before land: the departments that must give a written opinion
    within a limit of working days, and the conclusion (the chosen site and its conditions)."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting opinions")
        CONCLUDED = "concluded", _("concluded")

    number = models.CharField(_("code"), max_length=20, unique=True)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="consultations",
                                verbose_name=_("project"))
    sites = models.ManyToManyField(Site, related_name="consultations", verbose_name=_("candidate sites"))
    meets_on = models.DateField(_("meeting on"))
    limit_days = models.PositiveSmallIntegerField(_("opinions within (working days)"))
    due_on = models.DateField(_("opinions due"))
    agenda = models.TextField(_("what is to be decided"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    chosen_site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("chosen site"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("convened by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meets_on", "-id"]
        verbose_name = _("site consultation")
        verbose_name_plural = _("site consultations")

    def __str__(self):
        return f"{self.number} {self.project.name}"


class Opinion(models.Model):
    """One department's written opinion on a consultation, with its conditions (one per line)."""

    class View(models.TextChoices):
        AGREE = "agree", _("agrees")
        CONDITIONAL = "conditional", _("agrees with conditions")
        DISAGREE = "disagree", _("disagrees")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="opinions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    view = models.CharField(_("opinion"), max_length=12, choices=View.choices, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("preferred site"))
    text = models.TextField(_("written opinion"), blank=True)
    conditions = models.TextField(_("conditions (one per line)"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    given_on = models.DateField(_("given on"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "department__name"]
        constraints = [models.UniqueConstraint(fields=["consultation", "department"], name="chain_one_opinion")]

    @property
    def condition_list(self) -> list[str]:
        return [c.strip() for c in self.conditions.splitlines() if c.strip()]

    @property
    def late(self) -> bool:
        return self.given_on is not None and self.given_on > self.consultation.due_on


# --- 要素保障调度: factor dispatch ---------------------------------------------------------------------------------

class Factor(models.TextChoices):
    LAND = "land", _("land (mu)")
    POWER = "power", _("power (kVA)")
    WATER = "water", _("water (t/day)")
    GAS = "gas", _("gas (m³/day)")


class Capacity(models.Model):
    """What a supplier can deliver in an area of the zone from a month on (new capacity, added to what is there)."""

    area = models.CharField(_("area of the zone"), max_length=40)
    factor = models.CharField(_("factor"), max_length=6, choices=Factor.choices)
    month = models.DateField(_("from the month"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("supplier"))
    note = models.CharField(_("note (officials read it)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "factor", "month"]


class Meeting(models.Model):
    """A factor dispatch meeting (要素保障调度会): the decisions it took."""

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("chaired by"))
    notes = models.TextField(_("minutes (officials read them)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class Decision(models.Model):
    """Who delivers what by when for a project: a problem in the ledger for the supplier department, whose
    resolution counts as delivered capacity in the balance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="factor_decisions",
                                verbose_name=_("project"))
    area = models.CharField(_("area of the zone"), max_length=40)
    factor = models.CharField(_("factor"), max_length=6, choices=Factor.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("supplier"))
    what = models.CharField(_("what is to be delivered"), max_length=200)
    due_on = models.DateField(_("by"))
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.PROTECT, related_name="factor_decision",
                                  verbose_name=_("problem in the ledger"))

    class Meta:
        ordering = ["meeting", "id"]
