"""Writes of the credit capability. Views, the API, commands, the demo, other capabilities (an
inspection finding becomes a record) and tests all write through these."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import actions, audit, bulk, events, inputs, jobs, locks, notifications, uploads, workdays
from yingshang.core.permissions import require
from yingshang.core.tabular import ImportReport, RowError, parse_date, rows_with_columns
from yingshang.core.uscc import normalize_uscc, uscc_problem
from yingshang.directory.models import Department, Enterprise

from . import scoring
from .actions import credit as credit_actions
from .models import (KIND_NAMES, Event, Kind, ListEntry, Measure, MeasureApplication, Record, Request, Rule,
                     RuleSet, ScoreHistory, Severity, Standing)

GREEN_CHANNEL = "green-channel"
OBJECTION_ANSWER_WORKDAYS = 5
REPAIR_ANSWER_WORKDAYS = 10


def _event(*, enterprise_id: int, action: str, actor=None, record=None, from_status="", to_status="", note="",
           obj=None, tell=True, data=None, internal_note=""):
    """Append a credit event (and tell whom its type names, about ``obj``: the record, else the firm)."""
    return events.record(action, obj if obj is not None else record, actor=actor, tell=tell and (obj or record) is not None,
                         enterprise_id=enterprise_id, record=record, frm=from_status, to=to_status, note=note[:2000],
                         internal_note=internal_note, data=data)


# --- rule sets ----------------------------------------------------------------------------------

def defaults_ensure() -> None:
    """The starting rule set (when none exists) and the measures catalogue (missing codes only), as the
    migration loads them; for databases emptied by tests and for the demo. Idempotent."""
    from django.core.cache import cache

    from . import defaults
    from .selectors import MEASURES_CACHE_KEY

    with transaction.atomic():
        if not RuleSet.objects.exists():
            rs = RuleSet.objects.create(status=RuleSet.Status.ACTIVE, activated_at=timezone.now(), **defaults.RULESET)
            Rule.objects.bulk_create([Rule(ruleset=rs, kind=k, severity=s, delta=d, counts_days=days, cap=cap,
                                           list_kind=lst, repair_after_days=rep)
                                      for k, s, d, days, cap, lst, rep in defaults.RULES])
        for i, (code, name, effect, grades, lst, applied, text) in enumerate(defaults.MEASURES):
            Measure.objects.get_or_create(code=code, defaults=dict(
                name=name, effect=effect, grades=grades, list_kind=lst, applied_in=applied, description=text,
                sort_order=(i + 1) * 10))
    cache.delete(MEASURES_CACHE_KEY)


_compiled: dict[int, scoring.RuleSet] = {}


def compile_ruleset(rs: RuleSet) -> scoring.RuleSet:
    """The pure rule set of a stored version (cached for versions that can no longer change)."""
    key = (rs.pk, rs.activated_at)  # a version put in force never changes again
    if rs.status != RuleSet.Status.DRAFT and key in _compiled:
        return _compiled[key]
    try:
        compiled = scoring.RuleSet.of(
            rs.version, [scoring.Rule(kind=r.kind, severity=r.severity, delta=r.delta, counts_days=r.counts_days,
                                      cap=r.cap or None, list=r.list_kind, repair_after_days=r.repair_after_days)
                         for r in rs.rules.all()],
            base=rs.base, a_min=rs.a_min, b_min=rs.b_min, c_min=rs.c_min)
    except scoring.RuleError as exc:
        raise ValidationError(str(exc)) from None
    if rs.status != RuleSet.Status.DRAFT:
        _compiled[key] = compiled
    return compiled


def active_ruleset() -> RuleSet:
    rs = RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).first()
    if rs is None:
        raise ValidationError(_("No credit rule set is in force: an administrator must activate one."))
    return rs


@transaction.atomic
def ruleset_new_draft(*, actor, name: str = "", request=None) -> RuleSet:
    """A new draft version, copied from the version in force."""
    require(actor, "credit.edit_rules")
    current = active_ruleset()
    top = RuleSet.objects.select_for_update().order_by("-version").first()
    draft = RuleSet.objects.create(version=top.version + 1, name=name or current.name, base=current.base,
                                   a_min=current.a_min, b_min=current.b_min, c_min=current.c_min,
                                   created_by=actor, note="")
    Rule.objects.bulk_create([Rule(ruleset=draft, kind=r.kind, severity=r.severity, delta=r.delta,
                                   counts_days=r.counts_days, cap=r.cap, list_kind=r.list_kind,
                                   repair_after_days=r.repair_after_days) for r in current.rules.all()])
    audit.record(actor=actor, action="credit.ruleset.drafted", obj=draft, request=request,
                 data={"from": current.version})
    return draft


@transaction.atomic
def ruleset_update(*, actor, ruleset: RuleSet, rules: list[dict], request=None, **fields) -> RuleSet:
    """Replace a draft's thresholds and rules (``rules``: dicts of Rule fields). In-force and retired
    versions cannot be changed."""
    require(actor, "credit.edit_rules")
    rs = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if rs.status != RuleSet.Status.DRAFT:
        raise ValidationError(_("Version %(v)s is not a draft: make a new draft to change the rules.")
                              % {"v": rs.version})
    for k in ("name", "base", "a_min", "b_min", "c_min", "note"):
        if k in fields:
            setattr(rs, k, fields[k])
    try:
        scoring.RuleSet.of(rs.version, [scoring.Rule(kind=r["kind"], severity=r.get("severity", ""),
                                                     delta=int(r["delta"]), counts_days=int(r.get("counts_days", 0)),
                                                     cap=r.get("cap") or None, list=r.get("list_kind", ""),
                                                     repair_after_days=int(r.get("repair_after_days", 0)))
                                        for r in rules],
                           base=rs.base, a_min=rs.a_min, b_min=rs.b_min, c_min=rs.c_min)
    except scoring.RuleError as exc:
        raise ValidationError(str(exc)) from None
    rs.save()
    rs.rules.all().delete()  # a draft's rows are not business records until it is activated
    Rule.objects.bulk_create([Rule(ruleset=rs, kind=r["kind"], severity=r.get("severity", ""), delta=int(r["delta"]),
                                   counts_days=int(r.get("counts_days", 0)), cap=r.get("cap") or "",
                                   list_kind=r.get("list_kind", ""),
                                   repair_after_days=int(r.get("repair_after_days", 0))) for r in rules])
    audit.record(actor=actor, action="credit.ruleset.updated", obj=rs, request=request,
                 data={"rules": len(rules), "thresholds": [rs.base, rs.a_min, rs.b_min, rs.c_min]})
    return rs


def ruleset_activate(*, actor, ruleset: RuleSet, rules: list[dict] | None = None, request=None,
                     on: date | None = None, **fields) -> dict:
    """Put a draft in force — with the thresholds and ``rules`` given, saved first in the same transaction when
    given — retire the previous version, and ask for every firm to be rescored with it: a background job
    (``credit.rescore``) that starts once the change has committed. Returns the job's id."""
    require(actor, "credit.edit_rules")
    with transaction.atomic():
        if rules is not None:
            ruleset_update(actor=actor, ruleset=ruleset, rules=rules, request=request, **fields)
        rs = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
        if rs.status != RuleSet.Status.DRAFT:
            raise ValidationError(_("Only a draft can be put in force."))
        compile_ruleset(rs)
        previous = RuleSet.objects.select_for_update().filter(status=RuleSet.Status.ACTIVE).first()
        if previous:
            previous.status = RuleSet.Status.RETIRED
            previous.save(update_fields=["status"])
        rs.status = RuleSet.Status.ACTIVE
        rs.activated_at = timezone.now()
        rs.save(update_fields=["status", "activated_at"])
        audit.record(actor=actor, action="credit.ruleset.activated", obj=rs, request=request,
                     data={"retired": previous.version if previous else None})
        job = jobs.enqueue(RESCORE_JOB, {"on": on.isoformat() if on else None, "ruleset": rs.pk},
                           key=f"ruleset:{rs.pk}")
    return {"job": job.pk}


RESCORE_JOB = "credit.rescore"


def rescore_job(payload: dict) -> dict:
    """The job: every firm scored with the rules in force (tried again later if another server is at it)."""
    on = date.fromisoformat(payload["on"]) if payload.get("on") else None
    result = standings_recompute(on=on)
    if "skipped" in result:
        raise RuntimeError("another server is rescoring: trying again later")
    return result


# --- scores -------------------------------------------------------------------------------------

SCORE_FIELDS = ("id", "kind", "severity", "decided_on", "status", "public_to", "enterprise_id")  # scoring.Record + firm


def _as_record(row) -> scoring.Record:
    return scoring.Record(row[0], row[1], row[2], row[3], row[4], row[5])


def _digest(effects) -> str:
    """A fingerprint of what moved the score, to see whether a standing changed without reading it."""
    return hashlib.md5(repr(effects).encode(), usedforsecurity=False).hexdigest()


def standings_recompute(*, enterprise_ids=None, on: date | None = None, actor=None) -> dict:
    """Score the given firms (all when None) at ``on`` with the rule set in force: update each
    standing that changed, append its history row, and keep the automatic red and black list entries
    in step. Firms without records get the base score (class B)."""
    on = on or timezone.localdate()
    rs = active_ruleset()
    compiled = compile_ruleset(rs)
    if enterprise_ids is not None:  # the callers hold the firms' rows locked
        with transaction.atomic():
            return _rescore(sorted(set(enterprise_ids)), compiled, rs.pk, on, actor)
    with locks.exclusive("credit.recompute") as mine:
        if not mine:
            return {"skipped": "another server is rescoring"}
        ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
        return _rescore(ids, compiled, rs.pk, on, actor)


def _chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _rescore(ids: list[int], compiled: scoring.RuleSet, rs_id: int, on: date, actor) -> dict:
    counts = {"firms": len(ids), "changed": 0, "listed": 0, "delisted": 0}
    for chunk in _chunks(ids, 20000):
        # A large chunk of consecutive ids is read by range (cheaper than a long IN list).
        by_range = len(chunk) > 1000
        firm_filter = ({"enterprise_id__gte": chunk[0], "enterprise_id__lte": chunk[-1]} if by_range
                       else {"enterprise_id__in": chunk})
        by_firm = defaultdict(list)
        rows = (Record.objects.filter(status__in=scoring.COUNTING_STATUSES, decided_on__lte=on, **firm_filter)
                .values_list(*SCORE_FIELDS).iterator(chunk_size=20000))
        for row in rows:
            by_firm[row[6]].append(scoring.Record(row[0], row[1], row[2], row[3], row[4], row[5]))
        standings = {s[0]: s for s in Standing.objects.filter(**firm_filter)
                     .values_list("enterprise_id", "score", "grade", "ruleset_id", "digest", "since")}
        auto = defaultdict(dict)
        for e in ListEntry.objects.filter(automatic=True, status=ListEntry.Status.ACTIVE, **firm_filter) \
                .values_list("pk", "enterprise_id", "record_id", "kind"):
            auto[e[1]][(e[2], e[3])] = e[0]
        written, history, results = [], [], {}
        for ent_id in chunk:
            res = scoring.evaluate(by_firm.get(ent_id, ()), compiled, on)
            results[ent_id] = res
            digest = _digest(res.effects)
            old = standings.get(ent_id)
            if old is not None and (old[1], old[2], old[3], old[4]) == (res.score, res.grade, rs_id, digest):
                continue
            expl = res.explanation()
            since = old[5] if old is not None and old[2] == res.grade else on
            written.append(Standing(enterprise_id=ent_id, score=res.score, grade=res.grade, ruleset_id=rs_id,
                                    explanation=expl, digest=digest, since=since, computed_on=on))
            history.append(ScoreHistory(enterprise_id=ent_id, as_of=on, score=res.score, grade=res.grade,
                                        ruleset_id=rs_id, explanation=expl))
        # A standing is derived data: a changed one is replaced (one delete and one insert per batch is far
        # cheaper than an UPDATE per firm); its history row is appended, never replaced.
        for batch in _chunks([s.enterprise_id for s in written if s.enterprise_id in standings], 5000):
            Standing.objects.filter(pk__in=batch).delete()
        bulk.insert_many(written)
        bulk.insert_many(history)
        counts["changed"] += len(history)
        listed, delisted = _sync_lists(results, auto, on, actor)
        counts["listed"] += listed
        counts["delisted"] += delisted
    return counts


def _sync_lists(results: dict[int, scoring.Result], auto: dict, on: date, actor) -> tuple[int, int]:
    """Automatic list entries follow the records that are their basis."""
    create, end, new_events = [], [], []
    records = {}
    want_all = {ent_id: {(rid, "red") for rid in r.red} | {(rid, "black") for rid in r.black}
                for ent_id, r in results.items()}
    need = [rid for w in want_all.values() for rid, _k in w]
    for existing in auto.values():
        need += [rid for rid, _k in existing]
    for batch in _chunks(sorted(set(need)), 5000):
        records.update({r[0]: r for r in Record.objects.filter(pk__in=batch)
                        .values_list("pk", "kind", "decision_number", "department_id")})
    for ent_id, want in want_all.items():
        have = auto.get(ent_id, {})
        for key in want - set(have):
            pk, kind, number, department_id = records[key[0]]
            create.append(ListEntry(enterprise_id=ent_id, kind=key[1], record_id=pk, automatic=True,
                                    basis=f"{KIND_NAMES[kind]} {number}", starts_on=on, department_id=department_id))
            new_events.append(events.build(f"credit.list.{key[1]}.added", enterprise_id=ent_id, record_id=pk,
                                           to="active", actor=actor))
        for key in set(have) - want:
            end.append(have[key])
            new_events.append(events.build(f"credit.list.{key[1]}.ended", enterprise_id=ent_id, record_id=key[0],
                                           frm="active", to="ended", actor=actor))
    bulk.insert_many(create)
    if end:
        for chunk in _chunks(end, 5000):
            ListEntry.objects.filter(pk__in=chunk).update(status=ListEntry.Status.ENDED, ends_on=on,
                                                           ended_reason=_("its basis no longer counts"))
    bulk.insert_many(new_events)
    return len(create), len(end)


def history_rescore(*, enterprise_ids, dates: list[date]) -> int:
    """Write history rows as of past dates (the demo's year of history; a rule change never rewrites
    history — this only adds rows for dates that have none)."""
    rs = active_ruleset()
    compiled = compile_ruleset(rs)
    by_firm = defaultdict(list)
    for row in Record.objects.filter(enterprise_id__in=enterprise_ids).values_list(*SCORE_FIELDS):
        # A record repaired or expired today still counted on the days before.
        rec = _as_record(row)
        if rec.status in ("expired", "repaired"):
            rec = rec._replace(status="active")
        by_firm[row[6]].append(rec)
    rows = []
    for ent_id in enterprise_ids:
        last = None
        for d in sorted(dates):
            res = scoring.evaluate([r for r in by_firm.get(ent_id, ()) if r.decided_on <= d], compiled, d)
            if last != (res.score, res.grade):
                rows.append(ScoreHistory(enterprise_id=ent_id, as_of=d, score=res.score, grade=res.grade,
                                         ruleset_id=rs.pk, explanation=res.explanation()))
                last = (res.score, res.grade)
    ScoreHistory.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- records ------------------------------------------------------------------------------------

def _check_dates(decided_on: date, public_from: date, public_to: date | None, today: date) -> None:
    for field, d in (("decided_on", decided_on), ("public_from", public_from), ("public_to", public_to)):
        if d is not None:
            inputs.check_year(d, field)
    errors = {}
    if decided_on > today:
        errors["decided_on"] = _("The decision date cannot be in the future.")
    if public_from < decided_on:
        errors["public_from"] = _("Publicity cannot start before the decision date.")
    if public_to is not None and public_to < public_from:
        errors["public_to"] = _("The end of publicity comes before its start.")
    if errors:
        raise ValidationError(errors)


def _department_for(actor, department: Department | None) -> Department:
    from .permissions import department_id_of

    own = department_id_of(actor) if actor is not None else None
    if department is None:
        if own is None:
            raise ValidationError({"department": _("Choose the department that made the decision.")})
        return Department.objects.get(pk=own)
    if actor is not None and not actor.has_perm("credit.edit_rules") and department.pk != own:
        raise PermissionDenied(_("You may only enter records of your own department."))
    return department


def _build_record(*, actor, enterprise, kind, severity, department, decision_number, decided_on, description,
                  public_from, public_to, origin, origin_ref, rules: scoring.RuleSet) -> Record:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown record kind.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    decision_number = (decision_number or "").strip()
    description = (description or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("The decision number is required.")})
    if not description:
        raise ValidationError({"description": _("Describe the decision.")})
    if not isinstance(decided_on, date):
        raise ValidationError({"decided_on": _("The decision date is required.")})
    inputs.check_year(decided_on, "decided_on")
    public_from = public_from or decided_on
    rule = rules.rule_for(kind, severity)
    if public_to is None and rule is not None and rule.counts_days:
        public_to = decided_on + timedelta(days=rule.counts_days - 1)
    _check_dates(decided_on, public_from, public_to, timezone.localdate())
    return Record(enterprise=enterprise, kind=kind, severity=severity, department=department,
                  decision_number=decision_number[:80], decided_on=decided_on, description=description,
                  public_from=public_from, public_to=public_to, origin=origin, origin_ref=origin_ref[:80],
                  created_by=actor if getattr(actor, "is_authenticated", False) else None)


def record_create(*, actor, enterprise: Enterprise, kind: str, severity: str = Severity.GENERAL,
                  decision_number: str, decided_on: date, description: str, department: Department | None = None,
                  public_from: date | None = None, public_to: date | None = None, origin: str = Record.Origin.MANUAL,
                  origin_ref: str = "", request=None) -> Record:
    """Enter one credit record; the firm is rescored at once and its people are told."""
    return records_create(actor=actor, enterprise=enterprise, records=[dict(
        kind=kind, severity=severity, decision_number=decision_number, decided_on=decided_on, description=description,
        department=department, public_from=public_from, public_to=public_to, origin=origin,
        origin_ref=origin_ref)])[0]


def records_create(*, actor, enterprise: Enterprise, records: list[dict], tell: bool = True) -> list[Record]:
    """Enter several records of one firm at once (an inspection's findings): all or none, the firm rescored
    once — its score history never shows a state between them — and told once (unless the caller tells it,
    ``tell=False``). Each dict holds ``record_create``'s fields."""
    require(actor, "credit.add_record")
    if not records:
        return []
    compiled = compile_ruleset(active_ruleset())
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        made = []
        for fields in records:
            fields = dict(fields)
            department = _department_for(actor, fields.pop("department", None))
            fields.setdefault("severity", Severity.GENERAL)
            fields.setdefault("origin", Record.Origin.MANUAL)
            fields.setdefault("origin_ref", "")
            rec = _build_record(actor=actor, enterprise=enterprise, department=department, rules=compiled, **{
                k: fields.get(k) for k in ("kind", "severity", "decision_number", "decided_on", "description",
                                           "public_from", "public_to", "origin", "origin_ref")})
            _save_unique(rec)
            _event(enterprise_id=enterprise.pk, record=rec, action="credit.record.created", actor=actor,
                   to_status=rec.status, note=f"{rec.get_kind_display()} {rec.decision_number}",
                   tell=tell and len(records) == 1)
            made.append(rec)
        standings_recompute(enterprise_ids=[enterprise.pk], actor=actor)
        if tell and len(made) > 1:
            notifications.announce(credit_actions, enterprise, actions.event_type("credit.records.created"),
                                   actor=actor, context={"count": len(made)})
    return made


def _save_unique(rec: Record) -> None:
    try:
        with transaction.atomic():
            rec.save()
    except IntegrityError:
        raise ValidationError({"decision_number": _("This decision is already recorded for this firm.")}) from None


IMPORT_COLUMNS = [
    ("uscc", "统一社会信用代码", True), ("kind", "类别", True), ("severity", "严重程度", False),
    ("decision_number", "决定文书号", True), ("decided_on", "决定日期", True), ("description", "内容", True),
    ("public_from", "公示起", False), ("public_to", "公示止", False), ("department", "部门", False),
]
SEVERITY_WORDS = {"轻微": "minor", "一般": "general", "严重": "serious"}


def _kind_words() -> dict[str, str]:
    """What a spreadsheet may write in the 类别 column: the Chinese name or the code."""
    return {**{v: v for v in Kind.values}, **{name: v for v, name in KIND_NAMES.items()}}


def records_import(*, actor, data: bytes, filename: str, request=None) -> ImportReport:
    """Import records from the XLSX/CSV template: every row is checked first; any error, nothing is
    written. A non-admin imports for their own department only."""
    require(actor, "credit.import_records")
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for _f, h, required in IMPORT_COLUMNS if required])
    if rows is None:
        return report
    kinds = _kind_words()
    departments = {d.name: d for d in Department.objects.all()}
    compiled = compile_ruleset(active_ruleset())
    usccs = {normalize_uscc(r.get("统一社会信用代码", "")) for _n, r in rows}
    firms = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs)}
    built, seen = [], {}
    for number, row in rows:
        def err(col, msg, number=number):
            report.errors.append(RowError(number, col, msg))

        uscc = normalize_uscc(row.get("统一社会信用代码", ""))
        problem = uscc_problem(uscc)
        firm = firms.get(uscc)
        if problem:
            err("统一社会信用代码", problem)
        elif firm is None:
            err("统一社会信用代码", _("No enterprise with this credit code."))
        kind = kinds.get(row.get("类别", ""))
        if kind is None:
            err("类别", _("Unknown record kind."))
        severity = SEVERITY_WORDS.get(row.get("严重程度", "") or "一般")
        if severity is None:
            err("严重程度", _("Write 轻微, 一般 or 严重."))
        dates = {}
        for field, col in (("decided_on", "决定日期"), ("public_from", "公示起"), ("public_to", "公示止")):
            text = row.get(col, "")
            try:
                dates[field] = parse_date(text) if text else None
            except ValueError as exc:
                err(col, str(exc))
                dates[field] = False
        dept_name = row.get("部门", "")
        try:
            department = _department_for(actor, departments.get(dept_name) if dept_name else None)
        except (ValidationError, PermissionDenied) as exc:
            err("部门", exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
            department = None
        if dept_name and dept_name not in departments:
            err("部门", _("No department of this name."))
        if any(d is False for d in dates.values()) or not dates["decided_on"] or not firm or not kind \
                or not severity or not department:
            if not dates.get("decided_on") and dates.get("decided_on") is not False:
                err("决定日期", _("Required."))
            continue
        try:
            rec = _build_record(actor=actor, enterprise=firm, kind=kind, severity=severity, department=department,
                                decision_number=row.get("决定文书号", ""), decided_on=dates["decided_on"],
                                description=row.get("内容", ""), public_from=dates["public_from"],
                                public_to=dates["public_to"], origin=Record.Origin.IMPORT, origin_ref=filename[:80],
                                rules=compiled)
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                col = {h_f: h for h_f, h, _r in IMPORT_COLUMNS}.get(field, field)
                report.errors += [RowError(number, col, m) for m in msgs]
            continue
        key = (rec.department_id, rec.decision_number, firm.pk, kind)
        if key in seen:
            err("决定文书号", _("The same decision already appears in row %(row)s.") % {"row": seen[key]})
        seen[key] = number
        built.append((number, rec))
    if report.errors:
        return report
    with transaction.atomic():
        for number, rec in built:
            try:
                _save_unique(rec)
            except ValidationError as exc:
                report.errors += [RowError(number, "决定文书号", m) for m in exc.messages]
        if report.errors:
            transaction.set_rollback(True)
            return report
        Event.objects.bulk_create([events.build("credit.record.imported", enterprise_id=rec.enterprise_id, record=rec,
                                                actor=actor, to=rec.status, note=filename[:200]) for _n, rec in built])
        standings_recompute(enterprise_ids=sorted({rec.enterprise_id for _n, rec in built}), actor=actor)
        audit.record(actor=actor, action="credit.record.imported", request=request, object_type="credit.record",
                     object_repr=filename[:200], data={"created": len(built)})
        report.created = len(built)
    return report


def import_template_rows() -> tuple[list[str], list[list[str]]]:
    header = [h for _f, h, _r in IMPORT_COLUMNS]
    return header, [["91220101MA0Y3B2B4E", "行政处罚", "一般", "长汽开环罚〔2026〕12号", "2026-05-08",
                     "未按规定落实扬尘防治措施，罚款二万元", "2026-05-10", "", ""]]


def _transition(rec: Record, to: str, *, actor, action: str, note: str = "", data=None) -> None:
    frm = rec.status
    if to != frm:
        rec.status = to
        rec.save(update_fields=["status"])
    _event(enterprise_id=rec.enterprise_id, record=rec, action=action, actor=actor, from_status=frm, to_status=to,
           note=note, data=data)


def _locked(record: Record) -> Record:
    return Record.objects.select_for_update().select_related("enterprise").get(pk=record.pk)


def record_revoke(*, actor, record: Record, reason: str, request=None) -> Record:
    """撤销: the deciding department withdraws a record entered in error (it stays, marked revoked)."""
    with transaction.atomic():
        rec = _locked(record)
        credit_actions.begin(actor, "revoke", rec)
        reason = inputs.text(reason, "reason")
        _transition(rec, Record.Status.REVOKED, actor=actor, action="credit.record.revoked", note=reason)
        Request.objects.filter(record=rec, status=Request.Status.PENDING).update(
            status=Request.Status.REJECTED, decided_by=actor, decided_at=timezone.now(),
            answer=_("The record was revoked."))
        standings_recompute(enterprise_ids=[rec.enterprise_id], actor=actor)
    return rec


# --- objections and repairs ---------------------------------------------------------------------

def _due(days: int):
    return workdays.deadline(timezone.now(), days, provisional=True)


def _store_evidence(req: Request, evidence) -> None:
    if evidence:
        uploads.validate_files([evidence], field="evidence", max_count=1)
        req.evidence = evidence
        req.evidence_name = uploads.clean_name(evidence)


def objection_file(*, actor, record: Record, reason: str, evidence=None) -> Request:
    """异议: the firm disputes a record; it is flagged until its department answers (within
    OBJECTION_ANSWER_WORKDAYS working days)."""
    with transaction.atomic():
        rec = _locked(record)
        credit_actions.begin(actor, "objection", rec)
        reason = inputs.text(reason, "reason")
        req = Request(type=Request.Type.OBJECTION, record=rec, filed_by=actor, reason=reason,
                      due_at=_due(OBJECTION_ANSWER_WORKDAYS))
        _store_evidence(req, evidence)
        req.save()
        _transition(rec, Record.Status.OBJECTION, actor=actor, action="credit.objection.filed", note=reason)
    return req


def repair_earliest(record: Record, rules: scoring.RuleSet | None = None) -> date:
    rules = rules or compile_ruleset(active_ruleset())
    rule = rules.rule_for(record.kind, record.severity)
    return record.decided_on + timedelta(days=rule.repair_after_days if rule else 0)


def repair_apply(*, actor, record: Record, reason: str, evidence=None, today: date | None = None) -> Request:
    """信用修复: after its minimum publicity period, the firm shows it has put things right."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rec = _locked(record)
        credit_actions.begin(actor, "repair", rec)
        reason = inputs.text(reason, "reason")
        if not rec.is_negative:
            raise ValidationError(_("Only a negative record can be repaired."))
        if rec.status != Record.Status.ACTIVE:
            raise ValidationError(_("Only an active record can be repaired; this one is %(status)s.")
                                  % {"status": rec.get_status_display()})
        earliest = repair_earliest(rec)
        if today < earliest:
            raise ValidationError(_("Repair can be applied for from %(date)s, after the minimum publicity period.")
                                  % {"date": earliest.isoformat()})
        if not evidence:
            raise ValidationError({"evidence": _("Attach the evidence (payment receipt, rectification report …).")})
        req = Request(type=Request.Type.REPAIR, record=rec, filed_by=actor, reason=reason.strip(),
                      due_at=_due(REPAIR_ANSWER_WORKDAYS))
        _store_evidence(req, evidence)
        try:
            with transaction.atomic():
                req.save()
        except IntegrityError:
            raise ValidationError(_("A repair application for this record is already pending.")) from None
        _event(enterprise_id=rec.enterprise_id, record=rec, action="credit.repair.applied", actor=actor, note=reason)
    return req


def request_decide(*, actor, record: Record, approve: bool, answer: str, request_obj: Request | None = None) -> Request:
    """The department answers the pending request on ``record`` (the oldest, unless ``request_obj`` names one):
    an objection upheld revokes the record, rejected makes it active again; a repair approved repairs it (it
    stops counting and stops being public)."""
    with transaction.atomic():
        rec = _locked(record)
        credit_actions.begin(actor, "decide", rec)
        pending = rec.requests.select_for_update().filter(status=Request.Status.PENDING).order_by("filed_at", "pk")
        req = pending.filter(pk=request_obj.pk).first() if request_obj is not None else pending.first()
        if req is None:
            raise actions.IllegalTransition("decide", "nothing pending")
        if not isinstance(approve, bool):
            raise ValidationError({"approve": _("Uphold or reject.")})
        answer = inputs.text(answer, "answer")
        if approve and req.type == Request.Type.REPAIR and rec.status not in (Record.Status.ACTIVE,
                                                                             Record.Status.EXPIRED):
            raise ValidationError(_("Only a record in effect or expired can be repaired (this one is %(status)s).")
                                  % {"status": rec.get_status_display()})
        req.status = Request.Status.APPROVED if approve else Request.Status.REJECTED
        req.decided_by, req.decided_at, req.answer = actor, timezone.now(), answer
        req.save(update_fields=["status", "decided_by", "decided_at", "answer"])
        data = {"filed_by": req.filed_by_id, "request": req.pk}
        if req.type == Request.Type.OBJECTION:
            name = "credit.objection.upheld" if approve else "credit.objection.rejected"
            to = Record.Status.REVOKED if approve else (Record.Status.ACTIVE if rec.status == Record.Status.OBJECTION
                                                        else rec.status)
            _transition(rec, to, actor=actor, note=answer, action=name, data=data)
            if approve:  # the record is revoked: whatever else was pending on it has nothing left to decide
                rec.requests.filter(status=Request.Status.PENDING).exclude(pk=req.pk).update(
                    status=Request.Status.REJECTED, decided_by=actor, decided_at=timezone.now(),
                    answer=_("The record was revoked on objection."))
        elif approve:
            _transition(rec, Record.Status.REPAIRED, actor=actor, action="credit.repair.approved", note=answer,
                        data=data)
        else:
            _event(enterprise_id=rec.enterprise_id, record=rec, action="credit.repair.rejected", actor=actor,
                   note=answer, data=data)
        standings_recompute(enterprise_ids=[rec.enterprise_id], actor=actor)
    return req


# --- lists ---------------------------------------------------------------------------------------

def list_add(*, actor, enterprise: Enterprise, kind: str, basis: str, starts_on: date | None = None,
             ends_on: date | None = None) -> ListEntry:
    """Put a firm on the red or black list by decision (automatic entries follow their records)."""
    require(actor, "credit.manage_lists")
    from .permissions import department_id_of

    starts_on = starts_on or timezone.localdate()
    if kind not in ListEntry.Kind.values:
        raise ValidationError({"kind": _("Choose the red or the black list.")})
    if not (basis or "").strip():
        raise ValidationError({"basis": _("State the basis of the decision.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if kind == "red" and ListEntry.objects.filter(enterprise=enterprise, kind="black", status="active").exists():
            raise ValidationError(_("A firm on the black list cannot be put on the red list."))
        entry = ListEntry.objects.create(enterprise=enterprise, kind=kind, basis=basis.strip(), starts_on=starts_on,
                                         ends_on=ends_on, decided_by=actor, department_id=department_id_of(actor))
        _event(enterprise_id=enterprise.pk, action=f"credit.list.{kind}.added", actor=actor, to_status="active", tell=False,
               note=basis)
    return entry


def list_end(*, actor, entry: ListEntry, reason: str) -> ListEntry:
    require(actor, "credit.manage_lists")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        e = ListEntry.objects.select_for_update().get(pk=entry.pk)
        if e.status != ListEntry.Status.ACTIVE:
            raise ValidationError(_("This entry has already ended."))
        if e.automatic:
            raise ValidationError(_("This entry follows its basis record: revoke or repair the record instead."))
        e.status, e.ends_on, e.ended_reason = ListEntry.Status.ENDED, timezone.localdate(), reason.strip()[:200]
        e.save(update_fields=["status", "ends_on", "ended_reason"])
        _event(enterprise_id=e.enterprise_id, action=f"credit.list.{e.kind}.ended", actor=actor, tell=False,
               from_status="active", to_status="ended", note=reason)
    return e


# --- measures ------------------------------------------------------------------------------------

def measures_log(*, enterprise_id: int, measures, context: str, ref: str = "", grade: str = "", actor=None) -> int:
    """Record that measures were applied to a decision about a firm."""
    rows = [MeasureApplication(measure=m, enterprise_id=enterprise_id, context=context[:60], ref=ref[:120],
                               grade=grade, actor=actor if getattr(actor, "is_authenticated", False) else None)
            for m in measures]
    MeasureApplication.objects.bulk_create(rows)
    return len(rows)


def green_channel_apply(*, enterprise_id: int, context: str, ref: str, actor=None) -> bool:
    """A problem or project of a red-list firm gets the 绿色通道 measure: logged against that decision.
    Returns whether it applies (one query when the firm is not on the red list)."""
    from .selectors import active_measures, green_channel_ids

    if enterprise_id not in green_channel_ids([enterprise_id]):
        return False
    measures = [m for m in active_measures() if m.code == GREEN_CHANNEL and m.list_kind == "red"]
    measures_log(enterprise_id=enterprise_id, measures=measures, context=context, ref=ref, actor=actor)
    return bool(measures)


# --- the sweep -----------------------------------------------------------------------------------

def credit_sweep(*, on: date | None = None) -> dict:
    """Daily: records past their publicity expire, decided list entries past their end date end, and
    every firm is rescored. Idempotent; a second server running it at the same time skips."""
    on = on or timezone.localdate()
    with transaction.atomic():
        expiring = list(Record.objects.select_for_update(skip_locked=True)
                        .filter(status=Record.Status.ACTIVE, public_to__lt=on).values_list("pk", "enterprise_id"))
        for chunk in _chunks(expiring, 5000):
            Record.objects.filter(pk__in=[p for p, _e in chunk]).update(status=Record.Status.EXPIRED)
            Event.objects.bulk_create([events.build("credit.record.expired", enterprise_id=e, record_id=p,
                                                    frm="active", to="expired") for p, e in chunk])
        ended = list(ListEntry.objects.select_for_update(skip_locked=True)
                     .filter(status=ListEntry.Status.ACTIVE, automatic=False, ends_on__lt=on)
                     .values_list("pk", "enterprise_id", "kind"))
        ListEntry.objects.filter(pk__in=[p for p, _e, _k in ended]).update(
            status=ListEntry.Status.ENDED, ended_reason=_("its period ended"))
        Event.objects.bulk_create([events.build(f"credit.list.{k}.ended", enterprise_id=e, frm="active", to="ended")
                                   for _p, e, k in ended])
    result = standings_recompute(on=on)
    return {"expired": len(expiring), "list entries ended": len(ended), **{
        k: v for k, v in result.items() if k in ("changed", "listed", "delisted", "skipped")}}
