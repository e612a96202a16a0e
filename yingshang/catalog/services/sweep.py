"""The catalogue's part of ``yingshang sweep``: applications accepted with a missing material that was not
supplied in time are terminated; applications due within a working day or past their committed deadline
are reported to their department (and the overdue ones to the supervision office), once each; late
call-backs and rectifications of bad ratings likewise. Idempotent; a second server running it skips what
the first has locked."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yingshang.core import events, workdays

from ..models import Application, Rating
from .applications import application_terminate
from .registrations import claims_sweep


def catalog_sweep(*, now=None) -> dict:
    now = now or timezone.now()
    out = {"terminated": 0, "warned": 0, "overdue": 0, "ratings_late": 0}
    for a in Application.objects.filter(status__in=(Application.Status.REVIEW, Application.Status.SPECIAL),
                                        missing_due__lt=now).only("pk"):
        out["terminated"] += application_terminate(application=a, at=now).status == Application.Status.TERMINATED
    horizon = workdays.warn_horizon(workdays.get_calendar(), now)
    with transaction.atomic():
        due = (Application.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("version", "enterprise")
               .filter(status=Application.Status.REVIEW, due_at__lt=horizon).exclude(alerted="overdue"))
        for a in due:
            late = a.due_at < now
            if not late and a.alerted == "warned":
                continue
            a.alerted = "overdue" if late else "warned"
            a.save(update_fields=["alerted"])
            events.record(f"applications.application.{'overdue' if late else 'warned'}", a, application=a,
                          frm=a.status, at=now, data={"due": a.due_at.isoformat()})
            out["overdue" if late else "warned"] += 1
        late_ratings = (Rating.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("department", "enterprise", "application", "bundle_application")
                        .filter(Q(status=Rating.Status.CALLBACK, callback_due__lt=now, alerted="")
                                | (Q(status__in=(Rating.Status.CALLBACK, Rating.Status.RECTIFY), rectify_due__lt=now)
                                   & ~Q(alerted="rectify"))))
        for r in late_ratings:
            what = "rectify" if r.rectify_due < now else "callback"
            r.alerted = what
            r.save(update_fields=["alerted"])
            events.record("ratings.rating.overdue", r, rating=r, frm=r.status, at=now, data={"late": what})
            out["ratings_late"] += 1
    out.update(claims_sweep(now=now))
    return out
