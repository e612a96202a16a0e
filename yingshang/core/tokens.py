"""API tokens (``core.models.ApiToken``): made, checked, listed and revoked here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from . import audit, inputs
from .models import ApiToken


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_mark(user) -> str:
    """Changes whenever the password does (a fingerprint of its hash, not the hash)."""
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:16]


def state(token: ApiToken, now=None) -> str:
    """active, expired, revoked, or void (the password changed or the account was deactivated since)."""
    now = now or timezone.now()
    if token.revoked_at:
        return "revoked"
    if not token.user.is_active or token.password_mark != password_mark(token.user):
        return "void"
    if token.expires_at <= now:
        return "expired"
    return "active"


def token_create(*, actor, label: str = "", days: int | None = None, request=None) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns it and its key (shown once)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    label = inputs.text(label, "label", required=False, max_length=100, multiline=False)
    days = days or settings.API_TOKEN_DAYS
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(user=actor, digest=_digest(key), prefix=key[:8], label=label, created_at=now,
                                    expires_at=now + timedelta(days=days),
                                    password_mark=password_mark(actor))
    audit.record(actor=actor, action="core.token.created", obj=token, request=request, data={"days": days})
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, request=None) -> ApiToken:
    t = ApiToken.objects.select_for_update().get(pk=token.pk)
    if t.user_id != actor.pk:
        raise PermissionDenied(_("You are not allowed to do this."))
    if t.revoked_at:
        raise ValidationError(_("This token is already revoked."))
    t.revoked_at = timezone.now()
    t.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="core.token.revoked", obj=t, request=request)
    return t


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` — refused when the key is unknown, revoked, expired, or made before the
    owner's password last changed, or the owner is deactivated."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=_digest(key or "")).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        st = state(token, now)
        if st != "active":
            raise exceptions.AuthenticationFailed({
                "expired": _("This token has expired: make a new one."),
                "revoked": _("This token was revoked."),
                "void": _("This token stopped working when the password changed or the account was closed.")}[st])
        if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
