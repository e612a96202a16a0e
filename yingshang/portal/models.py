"""What the portal keeps of its own: when each open dataset was last published, and its size and checksum."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """The latest publication of one open dataset (its files are in the storage under ``opendata/``)."""

    key = models.SlugField(_("dataset"), max_length=40, unique=True)
    modified = models.DateTimeField(_("published at"))
    rows = models.PositiveIntegerField(_("rows"))
    csv_sha256 = models.CharField(max_length=64)
    json_sha256 = models.CharField(max_length=64)
    csv_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key"]
        verbose_name = _("open dataset publication")
        verbose_name_plural = _("open dataset publications")
