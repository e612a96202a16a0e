"""Writes of the integrations: registering an outside system (and its key), and a problem filed through Open311
(``POST requests.json``) — a ticket like any other, raised by the integrator's account through its channel."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import inputs, roles
from yingshang.core.uscc import normalize_uscc, uscc_problem

from .models import ExternalRequest, Integrator

KEY_BYTES = 24
MIN_KEY_LENGTH = 24


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def integrator_by_key(key) -> Integrator | None:
    """The active integrator an API key belongs to, or None."""
    key = str(key or "").strip()
    if not key or len(key) > 100 or inputs.has_control(key):
        return None
    return Integrator.objects.select_related("user").filter(key_hash=key_hash(key), active=True).first()


def _issue_key() -> str:
    return "ys_" + secrets.token_urlsafe(KEY_BYTES)


@transaction.atomic
def integrator_register(*, actor, name: str, kind: str = Integrator.Kind.OPEN311, contact: str = "",
                        key: str = "", callback_url: str = "", secret: str = "") -> tuple[Integrator, str]:
    """An administrator registers an outside system: its account (role 合作系统, no password: it cannot log in)
    and its API key, returned once — only its hash is kept. ``key``: one agreed with the integrator (at least
    24 characters) instead of a new random one. A hotline also gets its signing secret (kept: it checks the
    hotline's signatures and signs what is pushed back) and the address its answers are pushed to."""
    if actor is None or not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied(_("Only an administrator registers integrators."))
    name = inputs.text(name, "name", max_length=100, multiline=False)
    kind = inputs.choice(kind, "kind", Integrator.Kind)
    contact = inputs.text(contact, "contact", required=False, max_length=200)
    key = inputs.text(key, "key", required=False, max_length=100, multiline=False) or _issue_key()
    if len(key) < MIN_KEY_LENGTH or " " in key:
        raise ValidationError({"key": _("A key has at least %(n)d characters and no spaces.") % {"n": MIN_KEY_LENGTH}})
    if Integrator.objects.filter(key_hash=key_hash(key)).exists():
        raise ValidationError({"key": _("This key is taken.")})
    callback_url = inputs.text(callback_url, "callback_url", required=False, max_length=300, multiline=False)
    if callback_url and not callback_url.lower().startswith(("https://", "http://")):
        raise ValidationError({"callback_url": _("The callback address is an http or https address.")})
    secret = inputs.text(secret, "secret", required=False, max_length=100, multiline=False)
    if kind == Integrator.Kind.HOTLINE:
        secret = secret or secrets.token_urlsafe(32)
        if len(secret) < MIN_KEY_LENGTH:
            raise ValidationError({"secret": _("A key has at least %(n)d characters and no spaces.")
                                   % {"n": MIN_KEY_LENGTH}})
    else:
        secret = ""
    if Integrator.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An integrator of this name is registered already.")})
    user = get_user_model().objects.create(username=f"integrator-{secrets.token_hex(6)}", first_name=name[:30])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    roles.ensure_groups()
    user.groups.add(Group.objects.get(name=roles.INTEGRATOR))
    integrator = Integrator.objects.create(name=name, kind=kind, key_prefix=key[:10], key_hash=key_hash(key),
                                           user=user, contact=contact, created_by=actor, secret=secret,
                                           callback_url=callback_url)
    return integrator, key


@transaction.atomic
def integrator_rekey(*, actor, integrator: Integrator) -> str:
    """A new key for an integrator (the old one stops working at once)."""
    if actor is None or not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied(_("Only an administrator registers integrators."))
    key = _issue_key()
    Integrator.objects.filter(pk=integrator.pk).update(key_prefix=key[:10], key_hash=key_hash(key))
    return key


# --- Open311: a request filed ------------------------------------------------------------------------------------

def firm_by_uscc(value, field: str):
    """The zone's firm of a credit code sent from outside (checked, then looked up), or the field's error."""
    from yingshang.directory.models import Enterprise

    uscc = normalize_uscc(inputs.text(value, field, max_length=40, multiline=False))
    problem = uscc_problem(uscc)
    if problem:
        raise ValidationError({field: problem})
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise ValidationError({field: _("No firm of the zone has this credit code.")})
    return enterprise


def _coordinate(value, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    d = inputs.decimal(value, field, max_digits=9, places=6)
    if not -limit <= d <= limit:
        raise ValidationError({field: _("Out of range: at most %(n)d degrees either way.") % {"n": limit}})
    return d


def open311_request_file(*, integrator: Integrator, data) -> ExternalRequest:
    """``POST requests.json``: the service (a category), the firm by its credit code (``attribute[uscc]``), where
    (lat and long, or address_string, or address_id), what (description); optionally the reporter, a media URL,
    the urgency and, for land and construction, the firm's project. Registered as a ticket raised by the
    integrator's account through the channel 合作系统 (Open311)."""
    from yingshang.tickets.models import Category, Ticket, Urgency
    from yingshang.tickets.services import ticket_register

    from . import open311

    if integrator is None or not integrator.active or integrator.kind != Integrator.Kind.OPEN311:
        raise PermissionDenied(_("A valid api_key is required."))
    code = inputs.text(data.get("service_code"), "service_code", max_length=20, multiline=False)
    service = open311.service(code)
    if service is None:
        raise ValidationError({"service_code": _("No service has the code %(code)s.") % {"code": code[:20]}})
    lat = _coordinate(data.get("lat"), "lat", 90)
    long = _coordinate(data.get("long"), "long", 180)
    address = inputs.text(data.get("address_string"), "address_string", required=False, max_length=200)
    address_id = inputs.text(data.get("address_id"), "address_id", required=False, max_length=64,
                             multiline=False)
    if (lat is None) != (long is None):
        raise ValidationError({"lat": _("Give both lat and long, or neither.")})
    if lat is None and not address and not address_id:
        raise ValidationError({"address_string": _("A location is required: lat and long, address_string or "
                                                   "address_id.")})
    enterprise = firm_by_uscc(data.get("attribute[uscc]"), "attribute[uscc]")
    description = inputs.text(data.get("description"), "description", max_length=4000)
    urgency = inputs.choice(data.get("attribute[urgency]") or Urgency.NORMAL, "attribute[urgency]", Urgency)
    project_ref = ""
    if service["group"] in open311.PROJECT_GROUPS:
        project_ref = inputs.text(data.get("attribute[project_ref]"), "attribute[project_ref]", required=False,
                                  max_length=60, multiline=False)
    name = " ".join(filter(None, [
        inputs.text(data.get("last_name"), "last_name", required=False, max_length=50, multiline=False),
        inputs.text(data.get("first_name"), "first_name", required=False, max_length=50, multiline=False)]))
    phone = inputs.text(data.get("phone"), "phone", required=False, max_length=40, multiline=False)
    email = inputs.text(data.get("email"), "email", required=False, max_length=200, multiline=False)
    media_url = inputs.text(data.get("media_url"), "media_url", required=False, max_length=500, multiline=False)
    if media_url and not media_url.lower().startswith(("https://", "http://")):
        raise ValidationError({"media_url": _("A media_url is an http or https address.")})
    category = Category.objects.get(pk=int(service["service_code"]))
    title = description.replace("\n", " ")[:60]
    with transaction.atomic():
        ticket = ticket_register(actor=integrator.user, enterprise=enterprise, category=category, title=title,
                                 description=description, urgency=urgency, channel=Ticket.Channel.API,
                                 project_ref=project_ref)
        return ExternalRequest.objects.create(
            integrator=integrator, ticket=ticket, address_string=address, address_id=address_id, lat=lat, long=long,
            media_url=media_url, reporter_name=name, reporter_phone=phone, reporter_email=email,
            created_at=timezone.now())
