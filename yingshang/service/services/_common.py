"""What the writes of 万人助万企 share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def denied():
    return PermissionDenied(_("You are not allowed to do this."))
