"""Writing to the audit log: logins, admin changes, imports, configuration (rule sets, calendars, preferences).
A business record's own history is its event table (``core.events``); the audit entry is written in the
caller's transaction."""

from .models import AuditEntry


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
