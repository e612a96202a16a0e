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
    reporter_name = models.CharField(_("reporter (officials read it)"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone (officials read it)"), max_length=40, blank=True)
    reporter_email = models.CharField(_("reporter's e-mail (officials read it)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["integrator", "external_code"], condition=~Q(external_code=""),
                                               name="interop_unique_external_code")]
