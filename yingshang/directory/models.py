"""Enterprises, groups, departments and service bureaus, staff, stewardship (包保), enterprise users."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.core.uscc import validate_uscc


class EnterpriseGroup(models.Model):
    """An enterprise group such as 中国一汽 with its units and suppliers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise group")
        verbose_name_plural = _("enterprise groups")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department of the administrative committee, a project service bureau, or the service centre."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        BUREAU = "bureau", _("project service bureau")
        CENTRE = "centre", _("service centre")
        TASKFORCE = "taskforce", _("task force")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT)
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    description = models.TextField(_("responsibilities"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", _("large")
        MEDIUM = "medium", _("medium")
        SMALL = "small", _("small")
        MICRO = "micro", _("micro")

    class Status(models.TextChoices):
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")
        MOVED_OUT = "moved_out", _("moved out")
        DEREGISTERED = "deregistered", _("deregistered")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                            validators=[validate_uscc])
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True, db_index=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    registered_capital = models.DecimalField(_("registered capital (yuan)"), max_digits=18, decimal_places=2,
                                             null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPERATING)
    group = models.ForeignKey(EnterpriseGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="enterprises", verbose_name=_("enterprise group"))
    bureau = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="served_enterprises", verbose_name=_("service bureau"),
                               limit_choices_to={"kind": Department.Kind.BUREAU})
    is_key = models.BooleanField(_("key enterprise"), default=False)
    is_returned = models.BooleanField(_("returned investment"), default=False,
                                      help_text=_("Brought back to the zone."))
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(73), MaxValueValidator(136)])
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(3), MaxValueValidator(54)])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["group", "name"]), models.Index(fields=["bureau", "name"])]

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """An official of the zone: the department or bureau they work in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile",
                                verbose_name=_("user"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff",
                                   verbose_name=_("department"))
    title = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} · {self.department}"


class EnterpriseMember(models.Model):
    """A user who acts for an enterprise (企业用户)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships",
                             verbose_name=_("user"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="members",
                                   verbose_name=_("enterprise"))
    position = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="unique_enterprise_member")]
        verbose_name = _("enterprise user")
        verbose_name_plural = _("enterprise users")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} · {self.enterprise}"


class Stewardship(models.Model):
    """包保: the leader responsible for an enterprise and its service steward (服务专员).

    One current row per enterprise (``ended_on`` empty); a change ends the old row, so the
    history of who looked after a firm is kept.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="stewardships",
                                   verbose_name=_("enterprise"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="led_stewardships", verbose_name=_("responsible leader"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="stewardships", verbose_name=_("service steward"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(ended_on__isnull=True),
                                    name="one_current_stewardship"),
        ]
        verbose_name = _("stewardship")
        verbose_name_plural = _("stewardships")

    def __str__(self):
        return f"{self.enterprise} · {self.leader} / {self.steward}"


class Secondment(models.Model):
    """An official who acts for a department beside their own — a task force's members from several departments.
    Current while ``ended_on`` is empty; ended, never deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="secondments",
                             verbose_name=_("official"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="secondments",
                                   verbose_name=_("acts for"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["department", "started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "department"], condition=models.Q(ended_on__isnull=True),
                                               name="one_current_secondment")]
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")

    def __str__(self):
        return f"{self.user} → {self.department}"
