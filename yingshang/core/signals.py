"""Audit of logins and logouts (side effects only; no workflow lives in signals)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in, dispatch_uid="yingshang.audit.login")
def _logged_in(sender, request, user, **kwargs):
    audit.record(actor=user, action="core.user.logged_in", obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="yingshang.audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="core.user.logged_out", obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="yingshang.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    audit.record(actor=None, action="core.user.login_failed", request=request,
                 object_type="auth.user", object_repr=username, data={"username": username})
