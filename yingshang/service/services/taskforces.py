"""专班: task forces (their members act for them as for a department; their problems carry limits in hours) and the
保供 list of the firms whose supply they guarantee, updated daily."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.permissions import require
from yingshang.directory import services as directory
from yingshang.directory.models import Enterprise

from ..models import SupplyWatch, TaskForce
from ..permissions import may
from ._common import denied

MAX_HOURS = 24 * 30


def _hours(value, field: str) -> int:
    n = inputs.integer(value, field, min_value=1, max_value=MAX_HOURS)
    return n


def taskforce_create(*, actor, name: str, lead, starts_on: date, ends_on: date | None = None, rules: str = "",
                     accept_hours: int = 2, respond_hours: int = 4, resolve_hours: int = 24, members=(),
                     parent: TaskForce | None = None) -> TaskForce:
    """Stand up a task force (or one of a command's groups, under ``parent``): a department of its own receives
    its problems; its members are seconded to it."""
    require(actor, "service.add_taskforce")
    name = inputs.text(name, "name", max_length=100, multiline=False)
    if not roles.has_role(lead, roles.LEADER):
        raise ValidationError({"lead": _("A task force is led by a zone leader.")})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("It cannot end before it starts.")})
    hours = [_hours(accept_hours, "accept_hours"), _hours(respond_hours, "respond_hours"),
             _hours(resolve_hours, "resolve_hours")]
    if not hours[0] <= hours[1] <= hours[2]:
        raise ValidationError({"resolve_hours": _("Accept, then respond, then resolve: each limit at least the one "
                                                  "before.")})
    if parent is not None and parent.status != TaskForce.Status.ACTIVE:
        raise ValidationError({"parent": _("The command is stood down.")})
    with transaction.atomic():
        dept = directory.taskforce_department_create(
            actor=actor, code=f"tf-{numbering.next_value('service.taskforces')}", name=name)
        tf = TaskForce.objects.create(name=name, parent=parent, department=dept, lead=lead, starts_on=starts_on,
                                      ends_on=ends_on, rules=inputs.text(rules, "rules", required=False,
                                                                         max_length=5000),
                                      accept_hours=hours[0], respond_hours=hours[1], resolve_hours=hours[2],
                                      created_by=actor)
        _second(actor, tf, set(members) | {lead})
        events.record("service.taskforce.created", tf, actor=actor, taskforce=tf,
                      data={"name": name, "members": sorted(u.pk for u in set(members) | {lead})})
    return tf


def _second(actor, tf: TaskForce, users) -> None:
    for u in users:
        if not roles.is_staff_member(u):
            raise ValidationError({"members": _("Members are officials.")})
        directory.secondment_start(actor=actor, user=u, department=tf.department, on=timezone.localdate())


def taskforce_members_set(*, actor, taskforce: TaskForce, members) -> TaskForce:
    """The task force's members are now ``members`` (and its lead): the others' secondments end."""
    if not may(actor, "service.manage_taskforce", taskforce):
        raise denied()
    with transaction.atomic():
        tf = TaskForce.objects.select_for_update().get(pk=taskforce.pk)
        if tf.status != TaskForce.Status.ACTIVE:
            raise IllegalTransition("members", tf.status)
        wanted = set(members) | {tf.lead}
        from yingshang.directory.models import Secondment

        current = {s.user for s in Secondment.objects.filter(department=tf.department, ended_on__isnull=True)
                   .select_related("user")}
        _second(actor, tf, wanted - current)
        for u in current - wanted:
            directory.secondment_end(actor=actor, user=u, department=tf.department)
        events.record("service.taskforce.members_changed", tf, actor=actor, taskforce=tf,
                      data={"added": sorted(u.pk for u in wanted - current),
                            "removed": sorted(u.pk for u in current - wanted)})
    return tf


def taskforce_close(*, actor, taskforce: TaskForce, note: str = "") -> TaskForce:
    """Stand a task force down: its members' secondments end, its limits no longer apply to new problems; what
    it holds stays in the ledger (re-dispatched by the dispatchers)."""
    if not may(actor, "service.manage_taskforce", taskforce):
        raise denied()
    with transaction.atomic():
        tf = TaskForce.objects.select_for_update().get(pk=taskforce.pk)
        if tf.status != TaskForce.Status.ACTIVE:
            raise IllegalTransition("close", tf.status)
        if tf.groups.filter(status=TaskForce.Status.ACTIVE).exists():
            raise ValidationError(_("Stand its groups down first."))
        from yingshang.directory.models import Secondment

        for s in Secondment.objects.filter(department=tf.department, ended_on__isnull=True).select_related("user"):
            directory.secondment_end(actor=actor, user=s.user, department=tf.department)
        tf.status, tf.ends_on = TaskForce.Status.CLOSED, tf.ends_on or timezone.localdate()
        tf.save(update_fields=["status", "ends_on"])
        directory.taskforce_department_close(actor=actor, department=tf.department)
        events.record("service.taskforce.closed", tf, actor=actor, taskforce=tf, frm="active", to=tf.status,
                      internal_note=inputs.text(note, "note", required=False, max_length=2000))
    return tf


def supply_add(*, actor, taskforce: TaskForce, enterprise: Enterprise, supplies: str = "") -> SupplyWatch:
    """Put a firm on the task force's 保供 list (status normal until told otherwise)."""
    if not may(actor, "service.update_supply", taskforce):
        raise denied()
    if taskforce.status != TaskForce.Status.ACTIVE:
        raise IllegalTransition("supply_add", taskforce.status)
    supplies = inputs.text(supplies, "supplies", required=False, max_length=200, multiline=False)
    with transaction.atomic():
        w, created = SupplyWatch.objects.get_or_create(
            taskforce=taskforce, enterprise=enterprise,
            defaults={"supplies": supplies, "updated_on": timezone.localdate(), "updated_by": actor})
        if created:
            events.record("service.supply.added", taskforce, actor=actor, taskforce=taskforce, watch=w,
                          enterprise=enterprise, to=w.status, data={"firm": enterprise.name})
    return w


def supply_update(*, actor, watch: SupplyWatch, status: str, note: str = "") -> SupplyWatch:
    """Today's status of a firm on the list (normal, at risk, stopped) and what is happening."""
    with transaction.atomic():
        w = SupplyWatch.objects.select_for_update().select_related("taskforce", "enterprise").get(pk=watch.pk)
        if not may(actor, "service.update_supply", w.taskforce):
            raise denied()
        if w.taskforce.status != TaskForce.Status.ACTIVE:
            raise IllegalTransition("supply_update", w.taskforce.status)
        if status not in SupplyWatch.Status.values:
            raise ValidationError({"status": _("Choose normal, at risk or stopped.")})
        note = inputs.text(note, "note", required=status != SupplyWatch.Status.NORMAL, max_length=300,
                           multiline=False)
        frm = w.status
        w.status, w.note, w.updated_on, w.updated_by = status, note, timezone.localdate(), actor
        w.save(update_fields=["status", "note", "updated_on", "updated_by"])
        events.record("service.supply.updated", w.taskforce, actor=actor, taskforce=w.taskforce, watch=w,
                      enterprise=w.enterprise, frm=frm, to=status, internal_note=note)
    return w
