"""万人助万企: service campaigns and the visits officials pay to firms, the policies for firms (惠企政策) with
their conditions as data, where they were delivered, and the yearly facts a firm's file lacks (revenue,
headcount, R&D). Workflow lives in ``services``; matching in ``matching``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    automatic = models.BooleanField(_("no application needed (paid to the firms that qualify)"), default=False)
    pay_within = models.PositiveSmallIntegerField(_("paid within (working days of an application)"), default=60)
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


class Payout(models.Model):
    """免申即享: the list of the firms a policy pays without their applying, prepared and approved by the paying
    department, each payment recorded on its line."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("awaiting approval")
        APPROVED = "approved", _("approved, being paid")
        PAID = "paid", _("paid")

    number = models.CharField(_("number"), max_length=20, unique=True)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("policy"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(_("total (yuan)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("payout list")
        verbose_name_plural = _("payout lists")

    def __str__(self):
        return self.number


class PayoutLine(models.Model):
    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="lines")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enterprise"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher = models.CharField(_("payment voucher"), max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["payout", "enterprise"], name="one_line_per_firm")]


class Application(models.Model):
    """政策申报: a firm applies for a policy that is not paid automatically; the paying department accepts it,
    approves or denies it and pays, within the policy's working-day limit."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("under review")
        APPROVED = "approved", _("approved, to be paid")
        PAID = "paid", _("paid")
        DENIED = "denied", _("denied")
        WITHDRAWN = "withdrawn", _("withdrawn")

    number = models.CharField(_("number"), max_length=20, unique=True)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("policy"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="policy_applications",
                                   verbose_name=_("enterprise"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("what the firm states (the department reads it)"))
    amount_requested = models.DecimalField(_("amount applied for (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("to be paid by"))
    amount_granted = models.DecimalField(_("amount granted (yuan)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for the denial (the firm reads it)"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher = models.CharField(_("payment voucher"), max_length=60, blank=True)
    overdue_told = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["enterprise", "-submitted_at"])]
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"],
                                               condition=models.Q(status__in=["submitted", "accepted", "approved"]),
                                               name="one_open_application")]
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")

    def __str__(self):
        return self.number


# --- 银企对接 --------------------------------------------------------------------------------------------------

class Bank(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    contact = models.CharField(_("contact (officials read it)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self):
        return self.short_name or self.name


class BankMember(models.Model):
    """A bank's loan officer with an account: sees the matches of the bank and, once a firm consents, its file."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bank_member")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="members")


class LoanProduct(models.Model):
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="products", verbose_name=_("bank"))
    name = models.CharField(_("name"), max_length=100)
    rate_min = models.DecimalField(_("rate from (% a year)"), max_digits=5, decimal_places=2)
    rate_max = models.DecimalField(_("rate up to (% a year)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term up to (months)"))
    amount_min = models.DecimalField(_("amount from (yuan)"), max_digits=14, decimal_places=2, default=0)
    amount_max = models.DecimalField(_("amount up to (yuan)"), max_digits=14, decimal_places=2)
    conditions = models.JSONField(_("eligibility"), default=dict)
    description = models.TextField(_("description (firms read it)"), blank=True)
    active = models.BooleanField(_("on offer"), default=True)

    class Meta:
        ordering = ["bank", "name"]
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")

    def __str__(self):
        return f"{self.bank} · {self.name}"


class FinancingNeed(models.Model):
    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        LENT = "lent", _("lent")
        CLOSED = "closed", _("closed without a loan")
        WITHDRAWN = "withdrawn", _("withdrawn")

    number = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="financing_needs",
                                   verbose_name=_("enterprise"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.CharField(_("purpose"), max_length=200)
    collateral = models.CharField(_("collateral"), max_length=200, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"))
    lent_at = models.DateTimeField(_("first lent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")

    def __str__(self):
        return self.number


class Matchmaking(models.Model):
    """银企对接会: a matchmaking meeting with the banks and firms attending."""

    name = models.CharField(_("name"), max_length=100)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    banks = models.ManyToManyField(Bank, blank=True, related_name="+", verbose_name=_("banks"))
    firms = models.ManyToManyField(Enterprise, blank=True, related_name="+", verbose_name=_("firms"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("matchmaking meeting")
        verbose_name_plural = _("matchmaking meetings")

    def __str__(self):
        return self.name


class Match(models.Model):
    """A need matched with a bank's product, then worked: contacted, due diligence, approved or declined, lent."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONTACTED = "contacted", _("bank contacted")
        DILIGENCE = "diligence", _("due diligence")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        LENT = "lent", _("lent")

    need = models.ForeignKey(FinancingNeed, on_delete=models.PROTECT, related_name="matches")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="matches")
    meeting = models.ForeignKey(Matchmaking, on_delete=models.PROTECT, null=True, blank=True, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    reason = models.TextField(_("why declined (the firm reads it)"), blank=True)
    amount_lent = models.DecimalField(_("amount lent (yuan)"), max_digits=14, decimal_places=2, null=True,
                                      blank=True)
    lent_on = models.DateField(_("lent on"), null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["need", "product"], name="one_match_per_product")]


class Consent(models.Model):
    """The firm's authorisation for a bank to see its file and credit (until revoked)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="consents")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "bank"], condition=models.Q(revoked_at=None),
                                               name="one_live_consent")]


class BankAccess(models.Model):
    """Append-only: each time a bank's officer read a firm's file (under a consent)."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    what = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at", "-id"]


# --- 专班 --------------------------------------------------------------------------------------------------------

class TaskForce(models.Model):
    """专班: a task force of officials from several departments under a lead leader, for a period, with its own
    working rules. It receives problems as a department does (its ``department``, kind task force); its
    members act for it; its problems carry limits in hours."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("at work")
        CLOSED = "closed", _("stood down")

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="groups",
                               verbose_name=_("part of"))
    department = models.OneToOneField(Department, on_delete=models.PROTECT, related_name="taskforce")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("lead leader"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    rules = models.TextField(_("working rules (officials read them)"), blank=True)
    accept_hours = models.PositiveSmallIntegerField(_("accept within (hours)"), default=2)
    respond_hours = models.PositiveSmallIntegerField(_("first response within (hours)"), default=4)
    resolve_hours = models.PositiveSmallIntegerField(_("resolve within (hours)"), default=24)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parent_id", "id"]
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self):
        return self.name


class SupplyWatch(models.Model):
    """保供: a firm whose supply the task force guarantees, with its status, updated daily."""

    class Status(models.TextChoices):
        NORMAL = "normal", pgettext_lazy("supply", "normal")
        AT_RISK = "at_risk", pgettext_lazy("supply", "at risk")
        STOPPED = "stopped", pgettext_lazy("supply", "stopped")

    taskforce = models.ForeignKey(TaskForce, on_delete=models.PROTECT, related_name="supply",
                                  verbose_name=_("task force"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="supply_watches",
                                   verbose_name=_("enterprise"))
    supplies = models.CharField(_("supplies (what, to whom)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NORMAL)
    note = models.CharField(_("situation (officials read it)"), max_length=300, blank=True)
    updated_on = models.DateField(_("updated on"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["taskforce", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["taskforce", "enterprise"], name="one_watch_per_firm")]


class Event(EventBase):
    """Append-only: every change of a campaign, visit or policy, and a firm's figures (types in ``actions.py``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="events")
    need = models.ForeignKey(FinancingNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    taskforce = models.ForeignKey(TaskForce, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    watch = models.ForeignKey(SupplyWatch, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(EventBase.Meta):
        pass
