"""The services catalogue (政务服务事项): items with the national elements, in published versions, and their
materials. An application keeps the version it was made under; an item changes only by publishing a new
version (``services.item_publish``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.core.models import EventBase
from yingshang.directory.models import Department

from . import limits


class ItemType(models.Model):
    """事项类型 (行政许可, 行政处罚 … 公共服务): a table administrators extend, each type with its code."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    is_power = models.BooleanField(_("administrative power"), default=True,
                                   help_text=_("Counted among the administrative powers; public services are not."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name, verbose_name_plural = _("item type"), _("item types")

    def __str__(self):
        return self.name


class LifeEvent(models.TextChoices):
    """The life events (主题) a firm looks for an item under in the public guide."""

    START = "start", _("starting a business")
    BUILD = "build", _("building a project")
    CHANGE = "change", _("changes to the business")
    CLOSE = "close", _("closing down")


class Item(models.Model):
    """An item's identity: its implementation code (实施编码, unique in the zone) and its current version."""

    code = models.CharField(_("implementation code"), max_length=60, unique=True)
    basic_code = models.CharField(_("basic code"), max_length=60, db_index=True)
    current = models.OneToOneField("ItemVersion", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("current version"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    search_text = models.TextField(_("searched text"), blank=True, editable=False,
                                   help_text=_("The current name and the codes, in lower case: the guide searches it."))

    class Meta:
        ordering = ["code"]
        verbose_name, verbose_name_plural = _("service item"), _("service items")

    def __str__(self):
        return f"{self.code} {self.current.name if self.current_id else ''}".strip()


class ItemVersion(models.Model):
    """One published version of an item: every element of the national catalogue."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("immediate")
        COMMITTED = "committed", _("with a committed limit")

    class Unit(models.TextChoices):
        WORKDAY = limits.WORKDAY, _("working days")
        DAY = limits.DAY, _("natural days")

    class Depth(models.IntegerChoices):
        I = 1, _("Ⅰ: information online")  # noqa: E741
        II = 2, _("Ⅱ: forms online")
        III = 3, _("Ⅲ: applied and accepted online")
        IV = 4, _("Ⅳ: handled wholly online")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions", verbose_name=_("item"))
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    name = models.CharField(_("item name"), max_length=200)
    type = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="+", verbose_name=_("item type"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("implementing department"))
    basis = models.TextField(_("legal basis"), blank=True)
    kind = models.CharField(_("kind of case"), max_length=10, choices=Kind.choices, default=Kind.COMMITTED)
    statutory_limit = models.PositiveIntegerField(_("statutory limit"))
    statutory_unit = models.CharField(_("statutory limit unit"), max_length=8, choices=Unit.choices,
                                      default=Unit.WORKDAY)
    committed_limit = models.PositiveIntegerField(_("committed limit"))
    committed_unit = models.CharField(_("committed limit unit"), max_length=8, choices=Unit.choices,
                                      default=Unit.WORKDAY)
    conditions = models.TextField(_("conditions of acceptance"), blank=True)
    steps = models.JSONField(_("procedure"), default=list, blank=True,
                             help_text=_("The steps in order, each with the role that acts."))
    visits = models.PositiveSmallIntegerField(_("visits to the office"), default=0)
    visit_reason = models.CharField(_("why the applicant must come"), max_length=300, blank=True)
    at_window = models.BooleanField(_("at the window"), default=True)
    online = models.BooleanField(_("online"), default=False)
    by_post = models.BooleanField(_("by post"), default=False)
    online_depth = models.PositiveSmallIntegerField(_("depth of online handling"), choices=Depth.choices,
                                                    null=True, blank=True)
    in_hall = models.BooleanField(_("in the service hall"), default=True)
    charged = models.BooleanField(_("charged"), default=False)
    fee_standard = models.CharField(_("fee standard"), max_length=300, blank=True)
    fee_basis = models.CharField(_("fee basis"), max_length=300, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("enquiries"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("complaints"), max_length=60, blank=True)
    result_name = models.CharField(_("result"), max_length=200, blank=True)
    scope = models.CharField(_("where it can be handled"), max_length=100, blank=True)
    commitment_allowed = models.BooleanField(_("notification and commitment allowed"), default=False)
    tolerant = models.BooleanField(_("acceptance with a secondary material missing allowed"), default=False)
    life_events = models.JSONField(_("life events"), default=list, blank=True)
    faq = models.TextField(_("questions and answers"), blank=True)
    form_fields = models.JSONField(_("application form"), default=list, blank=True,
                                   help_text=_("The fields the application form asks, each {\"key\", \"label\"}; a "
                                               "bundle asks a key several of its items share once."))

    class Meta:
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="unique_item_version")]
        verbose_name, verbose_name_plural = _("item version"), _("item versions")

    def __str__(self):
        return f"{self.name} v{self.version}"


def material_path(instance, filename):
    return f"catalog/{instance.version.item.code}/v{instance.version.version}/{filename}"


class Material(models.Model):
    """材料: what the applicant submits for one version of an item."""

    class Necessity(models.TextChoices):
        REQUIRED = "required", _("required")
        SECONDARY = "secondary", _("secondary (may be supplied later)")
        CONDITIONAL = "conditional", _("when it applies")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("the applicant")
        SHARED = "shared", _("shared by a department")

    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="materials",
                                verbose_name=_("item version"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("material"), max_length=200)
    original = models.BooleanField(_("original (else a copy)"), default=False)
    electronic = models.BooleanField(_("electronic (else paper)"), default=False)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    necessity = models.CharField(_("necessity"), max_length=12, choices=Necessity.choices,
                                 default=Necessity.REQUIRED)
    source = models.CharField(_("comes from"), max_length=10, choices=Source.choices, default=Source.APPLICANT)
    source_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("sharing department"))
    standard = models.TextField(_("acceptance standard"), blank=True)
    blank_form = models.FileField(_("blank form"), upload_to=material_path, blank=True, max_length=300)
    sample = models.FileField(_("filled sample"), upload_to=material_path, blank=True, max_length=300)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name, verbose_name_plural = _("material"), _("materials")

    def __str__(self):
        return self.name


class Event(EventBase):
    """The catalogue's append-only log (types in ``actions.py``)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events", db_index=False)

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["item", "at"])]
        verbose_name, verbose_name_plural = _("catalogue event"), _("catalogue events")


class Application(models.Model):
    """办件: a firm's application for one item, made under the version then current. The clock starts at
    acceptance; the committed limit drives the lights, the statutory one is shown beside it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        CORRECTION = "correction", _("to be corrected")
        REFUSED = "refused", _("not accepted")
        REVIEW = "review", _("under review")
        SPECIAL = "special", _("in a special procedure")
        APPROVED = "approved", _("approved")
        DENIED = "denied", _("denied")
        DELIVERED = "delivered", _("delivered")
        TERMINATED = "terminated", _("terminated (missing materials not supplied)")
        REVOKED = "revoked", _("revoked (false commitment)")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        WINDOW = "window", _("at the window")

    number = models.CharField(_("number"), max_length=20, unique=True)
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="applications",
                                verbose_name=_("item version"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="applications", verbose_name=_("item"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("implementing department"))
    bundle_application = models.ForeignKey("BundleApplication", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="applications", verbose_name=_("bundle application"))
    enterprise = models.ForeignKey("directory.Enterprise", on_delete=models.PROTECT, related_name="applications",
                                   verbose_name=_("enterprise"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("entered by"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    corrected = models.BooleanField(_("correction asked for"), default=False)
    correction = models.TextField(_("what to correct (the firm reads it)"), blank=True)
    commitment = models.BooleanField(_("commitment in place of proofs"), default=False)
    missing = models.JSONField(_("materials to supply later"), default=list, blank=True)
    missing_due = models.DateTimeField(_("to be supplied by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("committed deadline"), null=True, blank=True)
    statutory_due_at = models.DateTimeField(_("statutory deadline"), null=True, blank=True)
    paused_workdays = models.PositiveIntegerField(_("working days in special procedures"), default=0)
    special_since = models.DateField(_("special procedure since"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=80, blank=True)
    licence_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason and remedies (the firm reads it)"), blank=True)
    delivery = models.CharField(_("delivered by"), max_length=20, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    visits = models.PositiveSmallIntegerField(_("visits it took"), default=0)
    form_data = models.JSONField(_("application form"), default=dict, blank=True)
    green_channel = models.BooleanField(_("green channel (red list)"), default=False)
    alerted = models.CharField(_("supervision"), max_length=10, blank=True,
                               help_text=_("warned: due within a working day; overdue: past the committed deadline."))
    revoked_reason = models.TextField(_("why the decision was revoked (the firm reads it)"), blank=True)
    ref = models.CharField(_("made for"), max_length=60, blank=True, db_index=True,
                           help_text=_("The record another app made it for, as <app>.<kind>:<id> (a project's "
                                       "approval step: projects.step:12)."))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["enterprise", "-created_at"]),
                   models.Index(fields=["department", "status", "due_at"], name="catalog_app_inbox"),
                   models.Index(fields=["department", "-created_at"], name="catalog_app_dept_recent")]
        verbose_name, verbose_name_plural = _("application"), _("applications")

    def __str__(self):
        return self.number


OPEN = (Application.Status.SUBMITTED, Application.Status.CORRECTION, Application.Status.REVIEW,
        Application.Status.SPECIAL)
DECIDED = (Application.Status.APPROVED, Application.Status.DENIED, Application.Status.DELIVERED)


class ApplicationEvent(EventBase):
    """One append-only step of an application (types in ``actions.py``)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events", db_index=False)

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["application", "at"])]
        verbose_name, verbose_name_plural = _("application event"), _("application events")


# --- 一件事一次办 -------------------------------------------------------------------------------

class Bundle(models.Model):
    """一件事: several items a firm applies for at once, with one form and one material list. Items of the
    same stage run in parallel; a stage starts when the one before it is decided."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    committed_workdays = models.PositiveSmallIntegerField(_("committed limit (working days)"), default=1)
    life_event = models.CharField(_("life event"), max_length=10, choices=LifeEvent.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name, verbose_name_plural = _("bundle"), _("bundles")

    def __str__(self):
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="members", verbose_name=_("bundle"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    stage = models.PositiveSmallIntegerField(_("stage"), default=1,
                                             help_text=_("Items of one stage run in parallel."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["bundle", "stage", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="unique_bundle_item")]
        verbose_name, verbose_name_plural = _("bundle item"), _("bundle items")


class BundleApplication(models.Model):
    """One application for a bundle: it creates the item applications and is done when all are decided."""

    class Status(models.TextChoices):
        OPEN = "open", _("being handled")
        DONE = "done", _("done")
        ENDED = "ended", _("ended: an item was not granted")

    number = models.CharField(_("number"), max_length=24, unique=True)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("bundle"))
    enterprise = models.ForeignKey("directory.Enterprise", on_delete=models.PROTECT,
                                   related_name="bundle_applications", verbose_name=_("enterprise"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("entered by"))
    channel = models.CharField(_("channel"), max_length=8, choices=Application.Channel.choices,
                               default=Application.Channel.ONLINE)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    stage = models.PositiveSmallIntegerField(_("current stage"), default=1)
    form_data = models.JSONField(_("application form"), default=dict, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    due_at = models.DateTimeField(_("committed deadline"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    work_hours = models.DecimalField(_("working hours it took"), max_digits=8, decimal_places=1, null=True,
                                     blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-created_at"])]
        verbose_name, verbose_name_plural = _("bundle application"), _("bundle applications")

    def __str__(self):
        return self.number


class BundleEvent(EventBase):
    bundle_application = models.ForeignKey(BundleApplication, on_delete=models.PROTECT, related_name="events",
                                           db_index=False)

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["bundle_application", "at"])]
        verbose_name, verbose_name_plural = _("bundle event"), _("bundle events")


# --- 好差评 ---------------------------------------------------------------------------------------

class Score(models.IntegerChoices):
    VERY_GOOD = 5, _("very satisfied")
    GOOD = 4, _("satisfied")
    FAIR = 3, _("fairly satisfied")
    BAD = 2, _("dissatisfied")
    VERY_BAD = 1, _("very dissatisfied")


BAD_SCORES = (Score.BAD, Score.VERY_BAD)


class Rating(models.Model):
    """好差评: the firm's rating of a decided application or a finished bundle. A bad rating (差评) goes to the
    deciding department: call back within a working day, rectify and reply within 15; then the firm may rate
    once more (a new rating replacing this one). The department may appeal it to the service-data bureau."""

    class Status(models.TextChoices):
        FINAL = "final", _("recorded")
        CALLBACK = "callback", _("to be called back")
        RECTIFY = "rectify", _("being rectified")
        REPLIED = "replied", _("rectified, awaiting the firm")
        APPEALED = "appealed", _("appealed")
        REPLACED = "replaced", _("rated again")
        VOID = "void", _("annulled on appeal")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="ratings", verbose_name=_("application"))
    bundle_application = models.ForeignKey(BundleApplication, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="ratings", verbose_name=_("bundle application"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("item"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("rated department"))
    enterprise = models.ForeignKey("directory.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enterprise"))
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("rated by"))
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next", verbose_name=_("replaces"))
    overall = models.PositiveSmallIntegerField(_("overall"), choices=Score.choices)
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), choices=Score.choices)
    attitude = models.PositiveSmallIntegerField(_("attitude"), choices=Score.choices)
    accuracy = models.PositiveSmallIntegerField(_("accuracy of the guide"), choices=Score.choices)
    comment = models.TextField(_("comment (the department reads it)"), blank=True)
    real_name = models.BooleanField(_("in the rater's name"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FINAL)
    at = models.DateTimeField(_("rated at"), default=timezone.now)
    callback_due = models.DateTimeField(_("call back by"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    rectify_due = models.DateTimeField(_("rectify by"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("what was rectified (the firm reads it)"), blank=True)
    appeal_reason = models.TextField(_("why the department holds it wrong (officials read it)"), blank=True)
    appeal_answer = models.TextField(_("the bureau's decision on the appeal (officials read it)"), blank=True)
    alerted = models.CharField(_("supervision"), max_length=10, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["status", "callback_due"])]
        verbose_name, verbose_name_plural = _("rating"), _("ratings")

    def __str__(self):
        return f"{self.get_overall_display()} · {self.application or self.bundle_application}"

    @property
    def bad(self) -> bool:
        return self.overall in BAD_SCORES


class RatingEvent(EventBase):
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="events", db_index=False)

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["rating", "at"])]
        verbose_name, verbose_name_plural = _("rating event"), _("rating events")


# --- 证照分离 · 双告知 -----------------------------------------------------------------------------

class ScopeRule(models.Model):
    """Which permit a business scope needs: a keyword of the scope (经营范围) or the start of an industry
    code (GB/T 4754) names an item. Edited by administrators."""

    keyword = models.CharField(_("business-scope keyword"), max_length=60, blank=True)
    industry_prefix = models.CharField(_("industry code starts with"), max_length=10, blank=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["item", "keyword", "industry_prefix"]
        verbose_name, verbose_name_plural = _("business-scope rule"), _("business-scope rules")

    def __str__(self):
        return f"{self.keyword or self.industry_prefix} → {self.item.code}"


class Registration(models.Model):
    """A firm registered by the market-regulation department, with the permits its scope needs (告知 to the
    firm) and the licensing departments it was pushed to (each must claim it)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered")
        IMPORTED = "imported", _("imported")

    enterprise = models.ForeignKey("directory.Enterprise", on_delete=models.PROTECT, related_name="registrations",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    scope = models.TextField(_("business scope"))
    industry_code = models.CharField(_("industry code"), max_length=10, blank=True)
    registered_on = models.DateField(_("registration date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    items = models.ManyToManyField(Item, related_name="+", blank=True, verbose_name=_("permits the scope needs"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["uscc", "registered_on"], name="unique_registration")]
        verbose_name, verbose_name_plural = _("registration"), _("registrations")

    def __str__(self):
        return f"{self.name} {self.registered_on}"


class Claim(models.Model):
    """认领: a licensing department takes up a registration pushed to it, within the working days set."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to be claimed")
        CLAIMED = "claimed", _("claimed")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="claims",
                                     verbose_name=_("registration"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("licensing department"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(_("claim by"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("claimed by"))
    note = models.TextField(_("note (officials read it)"), blank=True)
    escalation = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["registration", "department"], name="unique_claim")]
        indexes = [models.Index(fields=["department", "status", "due_at"]), models.Index(fields=["status", "due_at"])]
        verbose_name, verbose_name_plural = _("claim"), _("claims")

    def __str__(self):
        return f"{self.registration} → {self.department}"


class RegistrationEvent(EventBase):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="events", db_index=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["registration", "at"])]
        verbose_name, verbose_name_plural = _("registration event"), _("registration events")


def submitted_path(instance, filename):
    return f"catalog/applications/{instance.application.number}/{filename}"


class SubmittedFile(models.Model):
    """A material the applicant uploaded with an application (or supplied later)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="files",
                                    verbose_name=_("application"))
    material = models.CharField(_("material"), max_length=200)
    file = models.FileField(_("file"), upload_to=submitted_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["application", "id"]
        verbose_name, verbose_name_plural = _("submitted file"), _("submitted files")

    def __str__(self):
        return self.name
