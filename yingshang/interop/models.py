"""Systems outside the zone that file problems into the ledger: Open311 integrators and the city's 12345
hotline. Each is an ``Integrator`` with its own account (the tickets it files are raised by that account,
through its channel); each problem filed from outside keeps what the outside sent in an ``ExternalRequest``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Integrator(models.Model):
    """A registered outside system. An Open311 integrator authenticates with its API key (only its SHA-256 is
    kept; the key is shown once, when it is issued)."""

    class Kind(models.TextChoices):
        OPEN311 = "open311", _("Open311 integrator")
        HOTLINE = "hotline", _("12345 hotline")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN311)
    key_prefix = models.CharField(_("key begins with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integrator",
                                verbose_name=_("account its problems are raised by"))
    contact = models.CharField(_("contact (officials read it)"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, blank=True,
                              help_text=_("The hotline's shared secret: its requests are signed with it and so are "
                                          "the answers pushed back to it."))
    callback_url = models.URLField(_("callback address"), max_length=300, blank=True,
                                   help_text=_("Where the hotline receives the replies, answers and closings."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("integrator")
        verbose_name_plural = _("integrators")

    def __str__(self):
        return self.name


class ExternalRequest(models.Model):
    """What an outside system sent with a problem it filed: its own code for it, where, and who reported it
    (the reporter's name, phone and e-mail are for the officials handling it; they are never published)."""

    integrator = models.ForeignKey(Integrator, on_delete=models.PROTECT, related_name="requests")
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.PROTECT, related_name="external")
    external_code = models.CharField(_("the sender's code"), max_length=64, blank=True)
    address_string = models.CharField(_("address"), max_length=200, blank=True)
    address_id = models.CharField(_("address id"), max_length=64, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    attachment_urls = models.JSONField(_("attachments (addresses)"), default=list, blank=True)
    their_category = models.CharField(_("the sender's category"), max_length=100, blank=True)
    reporter_name = models.CharField(_("reporter (officials read it)"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone (officials read it)"), max_length=40, blank=True)
    reporter_email = models.CharField(_("reporter's e-mail (officials read it)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["integrator", "external_code"], condition=~Q(external_code=""),
                                               name="interop_unique_external_code")]
        verbose_name = _("problem received from outside")
        verbose_name_plural = _("problems received from outside")

    def __str__(self):
        return f"{self.external_code or self.ticket_id}"


class CategoryMap(models.Model):
    """Which of the zone's problem categories a hotline's category is filed under (administrators edit it)."""

    integrator = models.ForeignKey(Integrator, on_delete=models.PROTECT, related_name="category_maps",
                                   verbose_name=_("integrator"))
    their_category = models.CharField(_("the hotline's category"), max_length=100)
    category = models.ForeignKey("tickets.Category", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed under"))

    class Meta:
        ordering = ["integrator", "their_category"]
        constraints = [models.UniqueConstraint(fields=["integrator", "their_category"],
                                               name="interop_unique_category_map")]
        verbose_name = _("hotline category")
        verbose_name_plural = _("hotline categories")

    def __str__(self):
        return f"{self.their_category} → {self.category}"


class Callback(models.Model):
    """One attempt to push a reply, an answer or a closing back to the hotline (every attempt is kept)."""

    request = models.ForeignKey(ExternalRequest, on_delete=models.PROTECT, related_name="callbacks")
    event_id = models.BigIntegerField(_("event"))
    kind = models.CharField(_("what"), max_length=20)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("delivered"), default=False)
    status_code = models.PositiveSmallIntegerField(_("answer code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["request", "kind", "ok"], name="interop_callback_kind")]
        verbose_name = _("push to the hotline")
        verbose_name_plural = _("pushes to the hotline")


class Reconciliation(models.Model):
    """对账: a day's orders from one hotline — received, answered, answers delivered back — and the
    differences (orders not yet answered past their deadline, answers not delivered)."""

    integrator = models.ForeignKey(Integrator, on_delete=models.PROTECT, related_name="reconciliations")
    day = models.DateField(_("day"))
    received = models.PositiveIntegerField(_("received"))
    answered = models.PositiveIntegerField(_("answered"))
    delivered = models.PositiveIntegerField(_("delivered back"))
    differences = models.JSONField(_("differences"), default=list)
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["-day", "integrator"]
        constraints = [models.UniqueConstraint(fields=["integrator", "day"], name="interop_unique_reconciliation")]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
