"""Generic platform records: the working calendar, the audit log, notifications, numbering."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


class User(AbstractUser):
    """A user of the platform. Chinese names read family name first, without a space (王建国). ``language`` is
    the one they chose for the interface (empty: the platform's, Chinese)."""

    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        if _has_cjk(self.first_name + self.last_name):
            return f"{self.last_name}{self.first_name}".strip()
        return super().get_full_name()

    def __str__(self):
        return self.get_full_name() or self.username


class CalendarYear(models.Model):
    """A year for which the official holiday notice is in the calendar."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the weekday rule: a public holiday or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class AuditEntry(models.Model):
    """Append-only log of actions: logins, admin changes, imports, every business action."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class EventBase(models.Model):
    """The shape every domain's append-only event table shares: who, when, which dotted event type
    (``core.actions``), from which state to which, a note the record's readers see and a note only
    officials see, and structured data. Rows are written through ``core.events.record`` only."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("event"), max_length=60)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    internal_note = models.TextField(_("note for officials"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(_("visible to the firm"), default=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def label(self):
        from .actions import event_label

        return event_label(self.action)


class Notification(models.Model):
    """What the bell shows: one row per recipient, record and day (later changes of the same record on the
    same day update it and count up), held for the daily digest when the recipient chose so."""

    class Kind(models.TextChoices):
        WORK = "work", _("to do")
        UPDATE = "update", _("progress")
        ESCALATION = "escalation", _("late or escalated")
        DIGEST = "digest", _("daily digest")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="notifications", verbose_name=_("recipient"))
    title = models.CharField(_("title"), max_length=200)
    link = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    event = models.CharField(_("event"), max_length=60, blank=True)
    group_key = models.CharField(max_length=80, blank=True)
    day = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(_("changes"), default=1)
    held = models.BooleanField(_("held for the digest"), default=False)
    digest = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="contents",
                               verbose_name=_("in the digest"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"]),
                   models.Index(fields=["recipient", "group_key", "day"], name="notification_group")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """How a user wants to be told of one kind: at once, in the daily digest, or not at all (the bell
    still lists it), and on which channels besides the bell."""

    class Mode(models.TextChoices):
        INSTANT = "instant", _("at once")
        DIGEST = "digest", _("in the daily digest")
        OFF = "off", _("only in the list")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notification_prefs")
    kind = models.CharField(_("kind"), max_length=12, choices=Notification.Kind.choices)
    mode = models.CharField(_("when"), max_length=8, choices=Mode.choices, default=Mode.INSTANT)
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class Delivery(models.Model):
    """One attempt chain to send a notification outside the platform (e-mail, SMS, a group robot):
    nothing is silently lost — each is sent, retried or failed, with the last error."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=12)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.channel} → {self.address}: {self.get_status_display()}"


class Sequence(models.Model):
    """A named counter for record numbers (QS-2026-000001). Numbers are never reused."""

    key = models.CharField(max_length=60, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.value}"


class ApiToken(models.Model):
    """A key an API client signs in with: it expires (``API_TOKEN_DAYS``), its owner lists and revokes it, and
    it stops working when the owner's password changes or the account is deactivated. Only a digest of the
    key is stored; the key itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
                             verbose_name=_("user"))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("key begins"), max_length=8)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    password_mark = models.CharField(max_length=16)  # a fingerprint of the password it was made under

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.label or self.user})"


class SavedView(models.Model):
    """A list's filters a user keeps under a name ("my views"), e.g. 本周超期的用地问题 on the ledger."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_views")
    scope = models.CharField(max_length=40)  # the list: tickets.ledger …
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(max_length=1000)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "scope", "name"], condition=models.Q(active=True),
                                               name="one_saved_view_per_name")]

    def __str__(self):
        return self.name


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key``: a retried create returns what the first request created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="unique_idempotency_key")]


class Job(models.Model):
    """One piece of background work (``core.jobs``): written in the transaction that asks for it, run after
    it commits by a worker (or in the process when no broker is configured), retried with back-off, and kept
    — done or failed — for the administrators' page of jobs."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("job state", "waiting")
        RUNNING = "running", pgettext_lazy("job state", "running")
        DONE = "done", pgettext_lazy("job state", "done")
        FAILED = "failed", pgettext_lazy("job state", "failed")

    name = models.CharField(_("job"), max_length=80)
    key = models.CharField(_("key"), max_length=200, blank=True,
                           help_text=_("Asking twice for the job of the same key gives the one job."))
    payload = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("at most"), default=8)
    run_after = models.DateTimeField(_("next attempt"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "run_after"], name="job_state_run_after")]
        constraints = [models.UniqueConstraint(fields=["name", "key"], condition=~models.Q(key=""),
                                               name="job_unique_key")]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.name} #{self.pk}: {self.get_state_display()}"


class Export(models.Model):
    """A ledger written to a file in the background (``core.exports``): asked for by one user, who alone may
    download it, with the filter they had on the page. Kept, like every record: a finished file stays
    downloadable by its owner until an administrator's retention removes the file."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("export state", "waiting")
        RUNNING = "running", pgettext_lazy("export state", "being written")
        DONE = "done", pgettext_lazy("export state", "ready")
        FAILED = "failed", pgettext_lazy("export state", "failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("asked by"))
    scope = models.CharField(_("ledger"), max_length=60)
    query = models.CharField(_("filter"), max_length=2000, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    job = models.ForeignKey(Job, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="export_owner_created")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.scope} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
