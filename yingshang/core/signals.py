"""Audit of logins and logouts, and clearing cached roles when group memberships change (side effects
only; no workflow lives in signals)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from . import audit, roles


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="yingshang.roles.groups_changed")
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    roles.forget()


@receiver(post_save, sender=get_user_model(), dispatch_uid="yingshang.roles.user_saved")
def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a log-in or a new password does not change who holds which role
    roles.forget([instance.pk])  # active flag or superuser may have changed


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
