"""Writing to the audit log: logins, admin changes, imports, configuration (rule sets, calendars, preferences).
A business record's own history is its event table (``core.events``); the audit entry is written in the
caller's transaction."""

from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# What the audit trail calls each entry (no raw codes). Changes made in the administration are named from the
# model: "<app>.<model>.added_in_admin" and so on.
LABELS = {
    "core.user.logged_in": _("signed in"), "core.user.logged_out": _("signed out"),
    "core.user.login_failed": _("sign-in failed"), "core.token.created": _("API key created"),
    "core.token.revoked": _("API key revoked"), "core.calendar.seeded": _("working-day calendar loaded"),
    "core.calendar.imported": _("working-day calendar imported"),
    "core.notifications.preferences_set": _("notification settings changed"),
    "directory.enterprise.created": _("enterprise registered"), "directory.enterprise.updated": _("enterprise changed"),
    "directory.enterprise.located": _("enterprise placed on the map"),
    "directory.enterprise.imported": _("enterprises imported"), "directory.department.created": _("department added"),
    "directory.stewardship.assigned": _("leader and steward assigned"),
    "directory.member.added": _("enterprise user added"), "directory.staff.assigned": _("official's post assigned"),
    "directory.secondment.started": _("official seconded to a task force"),
    "directory.department.closed": _("task force's department closed"),
    "directory.secondment.ended": _("secondment ended"),
    "credit.ruleset.drafted": _("credit rules drafted"), "credit.ruleset.updated": _("credit rules edited"),
    "credit.ruleset.activated": _("credit rules put in force"), "credit.record.imported": _("credit records imported"),
    "core.job.retried": _("failed job tried again"),
    "core.export.requested": _("ledger exported in the background"),
}
ADMIN_SUFFIXES = {"added_in_admin": _("%(model)s added in the administration"),
                  "changed_in_admin": _("%(model)s changed in the administration"),
                  "deleted_in_admin": _("%(model)s deleted in the administration")}


def label(name: str):
    """What an audit entry is called; ``None`` when it is not an audit entry's name."""
    if name in LABELS:
        return LABELS[name]
    app_model, _dot, suffix = name.rpartition(".")
    if suffix in ADMIN_SUFFIXES:
        from django.apps import apps

        try:
            model = apps.get_model(*app_model.split(".", 1))
        except (LookupError, ValueError):
            return None
        return ADMIN_SUFFIXES[suffix] % {"model": model._meta.verbose_name}
    return None


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(*, actor, action: str, obj=None, data: dict | None = None, request=None,
           object_type: str = "", object_id: str = "", object_repr: str = "") -> AuditEntry:
    """Append one entry: ``action`` is a dotted name such as ``directory.enterprise.imported``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor, action=action, object_type=object_type, object_id=object_id,
        object_repr=object_repr[:200], data=data or {}, ip=client_ip(request),
    )
