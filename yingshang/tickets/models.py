"""The problem ledger (挂号/销号): tickets, their events, attachments, extensions and supervision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.core.models import EventBase
from yingshang.directory.models import Department, Enterprise


class Category(models.Model):
    """A node of the admin-managed category tree (用地, 水电气热 …); may route to a default department."""

    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    default_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("routes to"),
                                           help_text=_("New problems of this category are dispatched here automatically."))
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name")]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class DurationUnit(models.TextChoices):
    WORKDAYS = "workdays", _("working days")
    HOURS = "hours", _("hours")


class SlaPolicy(models.Model):
    """Time limits per category × urgency; the row without category is the default."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    accept_within = models.PositiveIntegerField(_("accept within"))
    respond_within = models.PositiveIntegerField(_("first response within"))
    resolve_within = models.PositiveIntegerField(_("resolve within"))
    unit = models.CharField(_("unit"), max_length=10, choices=DurationUnit.choices, default=DurationUnit.WORKDAYS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="unique_sla_policy"),
            models.UniqueConstraint(fields=["urgency"], condition=Q(category__isnull=True), name="unique_default_sla"),
        ]
        verbose_name = _("time limit policy")
        verbose_name_plural = _("time limit policies")

    def __str__(self):
        return f"{self.category or _('default')} · {self.get_urgency_display()}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")        # 已挂号，待派单
        DISPATCHED = "dispatched", _("dispatched")        # 已派单，待签收
        IN_PROGRESS = "in_progress", _("in progress")     # 办理中
        SUSPENDED = "suspended", _("on hold")             # 挂起（等待企业）
        RESOLVED = "resolved", _("resolved")              # 已办结，待企业确认
        CLOSED = "closed", _("closed out")                # 已销号
        WITHDRAWN = "withdrawn", _("withdrawn")           # 企业撤回
        MERGED = "merged", _("merged")                    # 已并单

    class Channel(models.TextChoices):
        WEB = "web", _("online")
        STEWARD = "steward", _("steward visit")
        PHONE = "phone", _("phone")
        ONSITE = "onsite", _("leader's on-site office")
        LETTER = "letter", _("letter")
        HOTLINE = "hotline", _("12345 transfer")
        API = "api", _("partner system (Open311)")

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("solved")
        UNSOLVABLE = "unsolvable", _("cannot be solved (explained)")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    number = models.CharField(_("number"), max_length=20, unique=True)
    # Foreign keys without an index of their own are led by a composite index below (or never looked up):
    # every index is written on each registration.
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="tickets",
                                   verbose_name=_("enterprise"), db_index=False)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"), db_index=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category"),
                                 db_index=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    is_historical = models.BooleanField(_("historical problem"), default=False, help_text=_("A problem left over from earlier years."))
    project_ref = models.CharField(_("project"), max_length=60, blank=True)
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="led_tickets", verbose_name=_("lead department"), db_index=False)
    co_departments = models.ManyToManyField(Department, blank=True, related_name="co_tickets",
                                            verbose_name=_("co-handling departments"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="supervised_tickets", verbose_name=_("supervising leader"))
    leader_in_charge = models.BooleanField(_("leader in personal charge"), default=False)
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="stewarded_tickets", verbose_name=_("steward"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)

    created_at = models.DateTimeField(_("registered at"), db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    respond_due = models.DateTimeField(_("first response by"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"), null=True, blank=True)
    resolve_by = models.DateTimeField(
        _("deadline set by the sender"), null=True, blank=True,
        help_text=_("The latest the problem must be resolved by, as the system that transferred it (12345) set it: "
                    "the resolve deadline is never later."))
    confirm_due = models.DateTimeField(_("confirm by"), null=True, blank=True)
    # The deadline that matters now (by status): the ledger sorts and the sweep searches on it.
    next_due = models.DateTimeField(_("next deadline"), null=True, blank=True)
    dues_provisional = models.BooleanField(_("provisional deadlines"), default=False)
    # What the deadlines are computed from (see sla.compute_dues): the policy snapshot taken at dispatch,
    # when the clock started, and the working days added since (approved extensions, suspensions).
    sla_accept = models.PositiveIntegerField(default=0)
    sla_respond = models.PositiveIntegerField(default=0)
    sla_resolve = models.PositiveIntegerField(default=0)
    sla_unit = models.CharField(max_length=10, choices=DurationUnit.choices, default=DurationUnit.WORKDAYS)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    extra_workdays = models.PositiveIntegerField(default=0)

    resolve_workdays = models.PositiveIntegerField(_("working days to resolve"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("firm's comment"), blank=True)
    callback_due = models.BooleanField(_("call back due"), default=False)

    return_count = models.PositiveIntegerField(_("returns"), default=0)
    redo_count = models.PositiveIntegerField(_("redos"), default=0)
    extension_count = models.PositiveIntegerField(_("extensions"), default=0)
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    urge_count = models.PositiveIntegerField(_("urged by the firm"), default=0)
    last_urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)
    published = models.BooleanField(
        _("published by the firm"), default=False,
        help_text=_("The firm lets the public read this problem through Open311: its description, status, "
                    "department and dates — never who raised it or what officials wrote."))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_tickets", verbose_name=_("merged into"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead_department", "status", "next_due"], name="ticket_dept_status_due"),
            # (the board's overdue count and by-department summary read only this index)
            models.Index(fields=["status", "next_due", "lead_department", "urge_count"], name="ticket_status_due_dept"),
            models.Index(fields=["-urge_count", "next_due"], condition=Q(urge_count__gt=0), name="ticket_urged"),
            # status included: the counts of a firm and of a group (一企一档) are read from the index alone
            models.Index(fields=["enterprise", "-created_at", "-id"], include=["status"],
                         name="ticket_enterprise_recent"),
            models.Index(fields=["category", "created_at"], name="ticket_category_created"),
            models.Index(fields=["project_ref"], name="ticket_project"),
            models.Index(fields=["status"], condition=Q(is_historical=True), name="ticket_historical"),
            # the firms with an open urgent problem (the chain's firms in trouble, a firm's file): a few rows
            models.Index(fields=["enterprise"], condition=Q(urgency="urgent", status__in=["dispatched", "in_progress",
                                                                                          "registered", "suspended"]),
                         name="ticket_urgent_open"),
            models.Index(fields=["status"], condition=Q(leader_in_charge=True), name="ticket_leader_in_charge"),
            models.Index(fields=["next_due"], condition=Q(supervision_level__gte=2), name="ticket_escalated"),
        ]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self):
        return f"{self.number} {self.title}"


# The states in which a problem is still being worked on.
OPEN = frozenset({Ticket.Status.REGISTERED, Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS,
                  Ticket.Status.SUSPENDED})


def next_due_field(status: str, *, responded: bool) -> str | None:
    """Which deadline matters in ``status``: the one the ledger sorts by and the sweep watches."""
    if status == Ticket.Status.DISPATCHED:
        return "accept_due"
    if status == Ticket.Status.IN_PROGRESS:
        return "resolve_due" if responded else "respond_due"
    if status == Ticket.Status.RESOLVED:
        return "confirm_due"
    return None


class TicketEvent(EventBase):
    """One append-only step of a ticket's life (see ``core.models.EventBase``; types in ``actions.py``)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events", db_index=False)  # (ticket, at)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self):
        return f"{self.ticket.number} {self.action}"


def attachment_path(instance, filename):
    return f"tickets/{instance.ticket.created_at:%Y/%m}/{instance.ticket.number}/{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(TicketEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Extension(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    workdays = models.PositiveIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket"], condition=Q(status="pending"),
                                               name="one_pending_extension")]


class SupervisionNotice(models.Model):
    """督办: a warning before a deadline, a notice after it (to the department head, then the leader),
    or a notice issued by hand by a leader or the supervision office."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("deadline warning")
        OVERDUE = "overdue", _("overdue supervision")
        MANUAL = "manual", _("supervision notice")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_kind = models.CharField(_("deadline"), max_length=10, blank=True)  # accept / respond / resolve
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), default=1)  # 1: department head, 2: leader
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    note = models.TextField(_("instruction"), blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["ticket", "kind", "due_kind", "due_at", "level"], condition=~Q(kind="manual"),
            name="one_automatic_notice")]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")


class StatCounters(models.Model):
    """The counters behind every rate and the count in each status, for one cell of the statistics roll-up:
    lead department × top-level category × service bureau × a period of registration."""

    lead_department_id = models.IntegerField(null=True)
    top_id = models.IntegerField()
    bureau_id = models.IntegerField(null=True)
    total = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    accepted_on_time = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    redone = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    workdays_sum = models.BigIntegerField(default=0)
    workdays_n = models.IntegerField(default=0)
    n_registered = models.IntegerField(default=0)
    n_dispatched = models.IntegerField(default=0)
    n_in_progress = models.IntegerField(default=0)
    n_suspended = models.IntegerField(default=0)
    n_resolved = models.IntegerField(default=0)
    n_closed = models.IntegerField(default=0)
    n_withdrawn = models.IntegerField(default=0)
    n_merged = models.IntegerField(default=0)

    class Meta:
        abstract = True


class StatDayCell(StatCounters):
    """A cell per day of registration: rebuilt from the ledger by the sweep (``services.statistics_refresh``);
    it answers the days of a period that are not whole months."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"])]


class StatCell(StatCounters):
    """A cell per month of registration, summed from the day cells by the same rebuild: the zone's statistics
    for whole months sum these instead of scanning the ledger."""

    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["month"])]


class StatTicket(StatCounters):
    """Each problem's own counts in the roll-up and the day cell they are in (derived data, like the cells): when
    a problem changes, the sweep takes these from their cell and adds what the problem counts now, so a thousand
    changes cost a thousand problems' rows, not the days they were raised on."""

    ticket_id = models.BigIntegerField(primary_key=True)
    day = models.DateField()


class StatSnapshot(models.Model):
    """When the roll-up was last brought up to date (one row): the whole of it at ``full_at``, then only the
    days whose problems have new events — those up to ``events_upto`` are counted (``events_before``: the same
    mark one run earlier; the next run reads again from there, for an event whose transaction was still open)."""

    taken_at = models.DateTimeField()
    tickets = models.IntegerField()
    full_at = models.DateTimeField(null=True)
    events_upto = models.BigIntegerField(default=0)
    events_before = models.BigIntegerField(default=0)
