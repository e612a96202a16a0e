"""The cockpit's own rows: the roll-up of the figures by day, the reports it wrote (with the figures as they
were), who subscribes to them, and their events. Nothing of another app is written here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.models import EventBase


class DayCell(models.Model):
    """One figure's counts for one Shanghai day, one enterprise group and one service bureau (0: none), and for
    the breakdowns (the map's areas, the departments' ranking) one unit:
    the records (``n``), those above the line of a rate (``num``) and the amount summed beside them.
    Rebuilt from the records by ``services.rollup_refresh``; a period's value is the sum of its days. Each day
    also has the whole zone's cell (group and bureau ``ZONE`` = -1), so the zone's figures sum one row a day.
    The unique constraint's index (key, day, …) serves every read."""

    ZONE = -1

    key = models.CharField(max_length=60)
    day = models.DateField()
    group_id = models.IntegerField(default=0)
    bureau_id = models.IntegerField(default=0)
    # A breakdown's unit ("": none): the area of the zone's map a firm is in, the department that led a problem.
    unit = models.CharField(max_length=60, default="", blank=True)
    n = models.IntegerField(default=0)
    num = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=24, decimal_places=4, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day", "group_id", "bureau_id", "unit"],
                                               name="dashboard_one_cell")]


class RollupState(models.Model):
    """When the roll-up was last brought up to date (one row): the page says how fresh its figures are."""

    refreshed_at = models.DateTimeField()
    full_at = models.DateTimeField(null=True, blank=True)
    window_from = models.DateField(null=True, blank=True)
    cells = models.IntegerField(default=0)


class Report(models.Model):
    """A report the platform wrote: the monthly report (月报), the weekly brief (周报) or one for any period,
    kept with the figures as they were when it was written and its DOCX, XLSX and PDF."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly report")
        WEEKLY = "weekly", _("weekly brief")
        CUSTOM = "custom", _("report for a period")

    class State(models.TextChoices):
        WRITING = "writing", pgettext_lazy("report state", "being written")
        READY = "ready", pgettext_lazy("report state", "ready")

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    group = models.ForeignKey("directory.EnterpriseGroup", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("enterprise group"))
    bureau = models.ForeignKey("directory.Department", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("service bureau"))
    summary = models.TextField(_("summary"))
    figures = models.JSONField(_("figures as written"), default=list)
    docx = models.FileField(upload_to="reports/%Y/%m", max_length=300)
    xlsx = models.FileField(upload_to="reports/%Y/%m", max_length=300)
    pdf = models.FileField(upload_to="reports/%Y/%m", max_length=300)
    scheduled = models.BooleanField(_("written on schedule"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("written for"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # A report asked for on the page is written by a job: "being written" until its files are kept.
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.READY)
    job = models.ForeignKey("core.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name, verbose_name_plural = _("report"), _("reports")
        constraints = [models.UniqueConstraint(fields=["kind", "start", "end"], condition=models.Q(scheduled=True),
                                               name="dashboard_one_scheduled_report")]

    def __str__(self):
        return self.title

    @property
    def failed(self) -> bool:
        """Its job gave up (its last attempt failed): the administrators' page of jobs has the retry."""
        return self.state == self.State.WRITING and self.job is not None and self.job.state == "failed"


class Subscription(models.Model):
    """A leader who receives the monthly report or the weekly brief when the platform writes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_subscriptions",
                             verbose_name=_("user"))
    kind = models.CharField(_("report"), max_length=8, choices=Report.Kind.choices[:2])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="dashboard_one_subscription")]
        verbose_name, verbose_name_plural = _("report subscription"), _("report subscriptions")


class Event(EventBase):
    """Append-only: reports written, subscriptions started and ended (types in ``actions.py``)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="events")

    class Meta(EventBase.Meta):
        pass
