"""The notification policy: who is told of what, grouped, as each user chose, on which channels.

- Who: the event type's ``tell`` audiences (``core.actions``), resolved by the record's domain; the person
  who acted is never told of their own act.
- Grouped: one bell row per recipient, record and day — later changes of the same record that day update
  it (its title is the latest change, its count goes up) instead of adding rows.
- Chosen: per kind (to do, progress, late or escalated) a user is told at once, in the daily digest, or
  only in the list; zone leaders get progress and escalations in the digest unless they choose otherwise.
- Channels: the bell always; e-mail, SMS and the 企业微信 / 钉钉 group robots as chosen, each delivery a
  ``Delivery`` row sent after the transaction commits and retried by the sweep (``core.channels``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import actions, jobs, roles
from .models import Delivery, Notification, NotificationPreference

MAX_ATTEMPTS = 5
DIGEST_KEY = "core.digest"


def default_mode(kind: str, user_roles: frozenset) -> str:
    """Zone leaders read progress and what is late or escalated in the daily digest; everyone else, and
    anything that waits for the leader to act, at once."""
    if kind in (actions.UPDATE, actions.ESCALATION) and roles.LEADER in user_roles:
        return NotificationPreference.Mode.DIGEST
    return NotificationPreference.Mode.INSTANT


PREFS_CACHE = "notification-prefs:"  # + user id → {kind: (mode, channels)} of the kinds the user chose
PREFS_SECONDS = 3600


def chosen_preferences(user_ids) -> dict[int, dict[str, tuple[str, list[str]]]]:
    """Each user's own choices, kept in the shared cache (cleared when they change them)."""
    from django.core.cache import cache

    keys = {uid: f"{PREFS_CACHE}{uid}" for uid in user_ids}
    found = cache.get_many(list(keys.values()))
    out = {uid: found[k] for uid, k in keys.items() if k in found}
    missing = [uid for uid in user_ids if uid not in out]
    if missing:
        loaded: dict[int, dict] = {uid: {} for uid in missing}
        for p in NotificationPreference.objects.filter(user_id__in=missing):
            loaded[p.user_id][p.kind] = (p.mode, list(p.channels or []))
        cache.set_many({keys[uid]: v for uid, v in loaded.items()}, PREFS_SECONDS)
        out.update(loaded)
    return out


def forget_preferences(user_id) -> None:
    from django.core.cache import cache

    cache.delete(f"{PREFS_CACHE}{user_id}")


def preferences(user_ids, kind: str) -> dict[int, tuple[str, list[str]]]:
    """(mode, extra channels) of each user for ``kind``: their own choice, else the default of their roles."""
    chosen = {uid: c[kind] for uid, c in chosen_preferences(list(user_ids)).items() if kind in c}
    leaders = set(roles.members(roles.LEADER)) if kind in (actions.UPDATE, actions.ESCALATION) else set()
    return {uid: chosen.get(uid) or (default_mode(kind, frozenset({roles.LEADER}) if uid in leaders else
                                                  frozenset()), []) for uid in user_ids}


class _Context(dict):
    """A message's values; a callable is called only when the message names it (no query for what is unused)."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return value() if callable(value) else value


def announce(domain, obj, etype, *, actor=None, event=None, extra_recipients=(), context=None) -> int:
    """Tell ``etype``'s audiences about ``obj``; returns how many people were told."""
    ids: set[int] = set(getattr(r, "pk", r) for r in extra_recipients if r is not None)
    for audience in etype.tell:
        ids.update(i for i in domain.audiences[audience](obj, event) if i is not None)
    if actor is not None:
        ids.discard(actor.pk)
    if not ids or not etype.message:
        return 0
    ctx = _Context(domain.context(obj) if domain.context else {})
    ctx.update(getattr(event, "data", None) or {})
    ctx.update(context or {})
    ctx.setdefault("actor", lambda: str(actor) if actor is not None else _("the platform"))
    title = str(etype.message) % ctx
    link = domain.link(obj) if domain.link else ""
    group_key = domain.group_key(obj) if domain.group_key else ""
    return send(recipients=ids, title=title, link=link, kind=etype.kind, event=etype.name, group_key=group_key,
                now=getattr(event, "at", None))


def send(*, recipients, title: str, link: str = "", kind: str = actions.UPDATE, event: str = "",
         group_key: str = "", now=None) -> int:
    """The bell rows (grouped) and the deliveries of one message to ``recipients``."""
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if not ids:
        return 0
    now = now or timezone.now()
    day = timezone.localdate(now)
    title, link = title[:200], link[:300]
    prefs = preferences(ids, kind)
    existing = {}
    if group_key:
        existing = dict(Notification.objects.filter(recipient_id__in=ids, group_key=group_key, day=day,
                                                    read_at__isnull=True).values_list("recipient_id", "pk"))
    if existing:
        Notification.objects.filter(pk__in=existing.values()).update(
            title=title, link=link, count=F("count") + 1, updated_at=now, event=event,
            kind=kind if kind != actions.UPDATE else F("kind"))
    new = []
    for uid in ids:
        if uid in existing:
            continue
        mode = prefs[uid][0]
        new.append(Notification(recipient_id=uid, title=title, link=link, kind=kind, event=event, group_key=group_key,
                                day=day, created_at=now, updated_at=now,
                                held=mode == NotificationPreference.Mode.DIGEST,
                                read_at=now if mode == NotificationPreference.Mode.OFF else None))
    created = Notification.objects.bulk_create(new)
    # Outside the platform: a new message, or a later change that asks something of the recipient.
    outbound = [(n.pk, n.recipient_id) for n in created if not n.held and n.read_at is None]
    if kind != actions.UPDATE:
        outbound += [(pk, uid) for uid, pk in existing.items() if prefs[uid][0] == NotificationPreference.Mode.INSTANT]
    _queue_deliveries(outbound, prefs, now)
    return len(ids)


def _queue_deliveries(outbound, prefs, now) -> None:
    from . import channels

    wanted = [(pk, uid, ch) for pk, uid in outbound for ch in prefs[uid][1] if ch in channels.available()]
    if not wanted:
        return
    addresses = channels.addresses({uid for _pk, uid, _ch in wanted})
    rows = []
    for pk, uid, ch in wanted:
        address = addresses.get(uid, {}).get(channels.ADDRESS_OF[ch], "")
        rows.append(Delivery(notification_id=pk, channel=ch, address=address[:200], created_at=now,
                             next_attempt_at=now, status=Delivery.Status.PENDING if address else Delivery.Status.FAILED,
                             last_error="" if address else _("no address for this channel on the user's profile")))
    created = Delivery.objects.bulk_create(rows)
    pending = [d.pk for d in created if d.status == Delivery.Status.PENDING]
    if pending:
        jobs.enqueue(DELIVER_JOB, {"ids": pending})


DELIVER_JOB = "core.notifications_deliver"


def deliver_job(payload: dict) -> dict:
    """The job that sends a message's deliveries (on the worker; safe to run twice: a delivery is claimed
    under a row lock and only while it is pending)."""
    return deliver(ids=[int(i) for i in payload.get("ids", [])])


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** max(0, attempts - 1))


def deliver(*, ids=None, now=None) -> dict:
    """Send pending deliveries (``ids``, or every one due): each is claimed under a row lock so two servers
    never send it twice; a failure is retried with back-off until MAX_ATTEMPTS, then marked failed."""
    from . import channels

    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    qs = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for pk in list(qs.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            d = (Delivery.objects.select_for_update(skip_locked=True).select_related("notification")
                 .filter(pk=pk, status=Delivery.Status.PENDING).first())
            if d is None:
                continue
            d.attempts += 1
            try:
                channels.backend(d.channel).send(address=d.address, title=d.notification.title,
                                                 link=absolute(d.notification.link))
            except Exception as exc:  # a channel's failure is recorded, never raised into the caller
                d.last_error = f"{type(exc).__name__}: {exc}"[:300]
                if d.attempts >= MAX_ATTEMPTS:
                    d.status = Delivery.Status.FAILED
                    counts["failed"] += 1
                else:
                    d.next_attempt_at = now + backoff(d.attempts)
                    counts["retry"] += 1
            else:
                d.status, d.sent_at, d.last_error = Delivery.Status.SENT, timezone.now(), ""
                counts["sent"] += 1
            d.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return counts


def retry(*, actor, delivery: Delivery) -> Delivery:
    """An administrator sends a failed delivery again."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.status != Delivery.Status.FAILED:
            raise ValidationError(_("Only a failed delivery can be sent again."))
        d.status, d.attempts, d.next_attempt_at = Delivery.Status.PENDING, 0, timezone.now()
        d.save(update_fields=["status", "attempts", "next_attempt_at"])
        jobs.enqueue(DELIVER_JOB, {"ids": [d.pk]})
    return d


def absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def digest(*, now=None) -> int:
    """The daily digest: everything held for a user before today becomes one message (safe to run again:
    held rows are released when their digest is written)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    held = (Notification.objects.filter(held=True, read_at__isnull=True, updated_at__lt=start)
            .values_list("recipient_id", "kind", "pk"))
    by_user: dict[int, dict[str, list[int]]] = {}
    for uid, kind, pk in held:
        by_user.setdefault(uid, {}).setdefault(kind, []).append(pk)
    for uid, kinds in by_user.items():
        pks = [pk for v in kinds.values() for pk in v]
        with transaction.atomic():
            d = Notification.objects.create(
                recipient_id=uid, kind=Notification.Kind.DIGEST, event=DIGEST_KEY, group_key=DIGEST_KEY, day=today,
                title=_("Daily digest: %(n)d records changed") % {"n": len(pks)}, created_at=now, updated_at=now)
            released = Notification.objects.filter(pk__in=pks, held=True).update(held=False, read_at=now, digest=d)
            if not released:  # another server wrote this digest meanwhile
                transaction.set_rollback(True)
                continue
            d.link = f"/notifications/?digest={d.pk}"
            d.save(update_fields=["link"])
    return len(by_user)
