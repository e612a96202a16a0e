"""Investment projects, their approval task lists and the templates those lists come from.

Nothing here is deleted: a step taken off a task list is marked removed, a dropped project keeps its record,
every change of stage or step is an ``Event``. The schedule of each step (early and late dates, slack, the
light) is computed by ``scheduling`` and stored, so that the battle map reads it without recomputing."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Stage(models.TextChoices):
    LEAD = "lead", _("lead")
    TALKS = "talks", _("negotiating")
    SIGNED = "signed", _("signed")
    APPROVED = "approved", pgettext_lazy("project stage", "approved")
    STARTED = "started", _("under construction")
    TOPPED = "topped", _("topped out")
    COMPLETED = "completed", pgettext_lazy("project stage", "completed")
    PRODUCTION = "production", _("in production")
    PAUSED = "paused", _("paused")
    DROPPED = "dropped", _("dropped")


# The forward order of stages; paused and dropped stand aside.
PIPELINE = [Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.APPROVED, Stage.STARTED, Stage.TOPPED, Stage.COMPLETED,
            Stage.PRODUCTION]
LANDED = {Stage.STARTED, Stage.TOPPED, Stage.COMPLETED, Stage.PRODUCTION}  # ground broken (落地)


class Kind(models.TextChoices):
    NEW = "new", _("new build")
    EXPANSION = "expansion", _("expansion")
    UPGRADE = "upgrade", _("technical upgrade")


class Phase(models.TextChoices):
    """The four stages of the national reform of construction approvals, and the items that run beside them."""
    LAND = "land", _("project approval, land use and planning permit")
    DESIGN = "design", _("construction works permit")
    PERMIT = "permit", _("construction permit")
    ACCEPTANCE = "acceptance", _("completion acceptance")
    PARALLEL = "parallel", _("parallel items")


class Light(models.TextChoices):
    GREEN = "green", _("on schedule")
    YELLOW = "yellow", _("at risk")
    RED = "red", _("late")


class Supply(models.TextChoices):
    NONE = "", _("not needed")
    PENDING = "pending", _("to be arranged")
    ARRANGED = "arranged", _("arranged")
    SUPPLIED = "supplied", _("supplied")


class Template(models.Model):
    """A task list to start a project's approvals from (admin-editable)."""
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("project kind"), max_length=10, choices=Kind.choices, blank=True,
                            help_text=_("Empty: for every kind."))
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default for its kind"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval template")
        verbose_name_plural = _("approval templates")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="steps")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    phase = models.CharField(_("approval stage"), max_length=12, choices=Phase.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("responsible department"))
    statutory_days = models.PositiveIntegerField(_("statutory limit (working days)"))
    committed_days = models.PositiveIntegerField(_("committed limit (working days)"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template step")
        verbose_name_plural = _("template steps")
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="projects_tstep_code"),
                       models.CheckConstraint(condition=models.Q(committed_days__gte=1, statutory_days__gte=1),
                                              name="projects_tstep_days")]

    def __str__(self):
        return f"{self.code} {self.name}"


class TemplateLink(models.Model):
    step = models.ForeignKey(TemplateStep, on_delete=models.PROTECT, related_name="after")
    predecessor = models.ForeignKey(TemplateStep, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("after"))
    lag = models.PositiveIntegerField(_("lag (working days)"), default=0)

    class Meta:
        verbose_name = _("predecessor")
        verbose_name_plural = _("predecessors")
        constraints = [models.UniqueConstraint(fields=["step", "predecessor"], name="projects_tlink_unique")]


class Project(models.Model):
    number = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    investor = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="projects", verbose_name=_("investor"))
    investor_name = models.CharField(_("investor (not yet registered)"), max_length=200, blank=True)
    bureau = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="projects",
                               verbose_name=_("service bureau"))
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    investment = models.DecimalField(_("total investment (yuan)"), max_digits=16, decimal_places=2)
    land_mu = models.DecimalField(_("land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(73), MaxValueValidator(136)])
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(3), MaxValueValidator(54)])
    capacity = models.CharField(_("capacity"), max_length=100, blank=True)
    is_returned = models.BooleanField(_("returned investment"), default=False)
    returned_from = models.CharField(_("returned from"), max_length=100, blank=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("leader"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("steward"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD, db_index=True)
    stage_since = models.DateField(_("in this stage since"))
    stage_reason = models.CharField(_("reason (paused or dropped)"), max_length=300, blank=True)
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    starts_on = models.DateField(_("approvals start"), null=True, blank=True)
    target_signing = models.DateField(_("target signing"), null=True, blank=True)
    target_start = models.DateField(_("target ground-breaking"), null=True, blank=True)
    target_production = models.DateField(_("target production"), null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("power (kVA)"), null=True, blank=True)
    power_status = models.CharField(_("power supply"), max_length=10, choices=Supply.choices, blank=True)
    water_t_day = models.PositiveIntegerField(_("water (t/day)"), null=True, blank=True)
    water_status = models.CharField(_("water supply"), max_length=10, choices=Supply.choices, blank=True)
    gas_m3_day = models.PositiveIntegerField(_("gas (m³/day)"), null=True, blank=True)
    gas_status = models.CharField(_("gas supply"), max_length=10, choices=Supply.choices, blank=True)
    land_status = models.CharField(_("land supply"), max_length=10, choices=Supply.choices, blank=True)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("approval template"))
    # The stored schedule (recomputed by ``services.project_reschedule`` on every change and by the daily sweep).
    light = models.CharField(_("light"), max_length=6, choices=Light.choices, default=Light.GREEN, db_index=True)
    finish = models.DateField(_("approvals finish"), null=True, blank=True)
    slack = models.IntegerField(_("slack (working days)"), null=True, blank=True)
    shortfall = models.PositiveIntegerField(_("shortfall (working days)"), default=0)
    next_name = models.CharField(_("next milestone"), max_length=100, blank=True)
    next_on = models.DateField(_("next milestone due"), null=True, blank=True)
    statutory_span = models.PositiveIntegerField(null=True, blank=True)  # working days at the statutory limits
    committed_span = models.PositiveIntegerField(null=True, blank=True)  # … at the committed limits
    scheduled_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-investment", "id"]
        indexes = [models.Index(fields=["bureau", "stage"]), models.Index(fields=["investment"])]
        permissions = [("manage_templates", "May edit approval templates")]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def investor_label(self) -> str:
        return self.investor.name if self.investor_id else self.investor_name

    @property
    def target(self):
        """The date the task list is scheduled back from: production (completion acceptance comes before it),
        or ground-breaking when no production date is set."""
        return self.target_production or self.target_start


class Step(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("not started")
        DOING = "doing", _("in progress")
        DONE = "done", _("done")
        REMOVED = "removed", _("removed")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="steps")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    phase = models.CharField(_("approval stage"), max_length=12, choices=Phase.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="project_steps",
                                   verbose_name=_("responsible department"))
    statutory_days = models.PositiveIntegerField(_("statutory limit (working days)"))
    committed_days = models.PositiveIntegerField(_("committed limit (working days)"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.TODO)
    actual_start = models.DateField(_("started on"), null=True, blank=True)
    actual_finish = models.DateField(_("finished on"), null=True, blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("handler"))
    notes = models.TextField(_("notes"), blank=True)
    item_code = models.CharField(_("catalogue item"), max_length=60, blank=True,
                                 help_text=_("The service item this approval is applied for under: the firm's "
                                             "application starts the step and its decision finishes it."))
    licence_number = models.CharField(_("licence number"), max_length=80, blank=True)
    order = models.PositiveIntegerField(default=0)
    early_start = models.DateField(null=True, blank=True)
    early_finish = models.DateField(null=True, blank=True)
    late_start = models.DateField(null=True, blank=True)
    late_finish = models.DateField(null=True, blank=True)
    slack = models.IntegerField(null=True, blank=True)
    critical = models.BooleanField(default=False)
    light = models.CharField(max_length=6, choices=Light.choices, default=Light.GREEN)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["project", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="projects_step_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Link(models.Model):
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="after")
    predecessor = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="before")
    lag = models.PositiveIntegerField(_("lag (working days)"), default=0)
    active = models.BooleanField(default=True)  # an unlinked dependency is kept, inactive

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "predecessor"], name="projects_link_unique")]


class Event(EventBase):
    """Append-only: every change of a project, its stage or one of its steps (types in ``actions.py``)."""
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    on = models.DateField()  # the day it happened (a stage change may be recorded a few days late)

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["project", "at"]), models.Index(fields=["action", "to_status"])]

    @property
    def stage_label(self):
        return Stage(self.to_status).label if self.to_status in Stage.values else self.to_status
