"""Everything that happened, across the domains' event tables and the audit log, as one list in time order.

Two readers: the supervision office's audit trail (who did what, filtered by person, firm, kind of action and
date, exported) and a firm's file (一企一档), whose timeline shows everything about one firm. Each app registers
a ``Source`` for each of its event tables from its ``actions.py``: how to reach the firm, the record and its
link, and which rows a person may see (the domain's own ``*_visible_to`` selector). Rows are read as one
``UNION ALL`` ordered by time, one page at a time; names and links are filled in for that page only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, Case, CharField, DateTimeField, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

COLUMNS = ("a_at", "a_actor", "a_action", "a_firm", "a_ref", "a_ref_kind", "a_title", "a_note", "a_internal",
           "a_public", "a_to", "a_source")


@dataclass(frozen=True)
class Source:
    key: str                    # the kind a reader filters by: tickets, credit, inspections, projects, audit …
    label: Any                  # what the filter calls it
    model: Any
    firm: str                   # path to the firm's id from an event row ("ticket__enterprise_id")
    ref: Any                    # expression: the record's id
    title: Any                  # expression: how the record is named (number and title …)
    link: Callable[[str, int], str] = lambda kind, pk: ""  # (ref kind, id) → URL
    ref_kind: Any = None        # expression: which kind of record the ref is (when a table holds several)
    visible: Callable | None = None  # (user) → Q on event rows this person may see (None: officials only)
    note: Any = "note"
    internal: Any = "internal_note"
    public: Any = "public"
    states: dict = field(default_factory=dict)  # state code → label, to say where a change led ("→ 拿地")
    order: int = 100


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.key] = source
    return source


def kinds() -> list[tuple[str, Any]]:
    return [(s.key, s.label) for s in sorted(SOURCES.values(), key=lambda s: (s.order, s.key))]


@dataclass
class Filter:
    actor: int | None = None
    firms: list[int] | None = None       # None: every firm; a list (possibly empty): only these
    kinds: list[str] = field(default_factory=list)  # sources; empty: all
    action: str = ""                     # an event type, or the start of one ("tickets.ticket.")
    since: date | None = None
    until: date | None = None            # inclusive


def _expr(value, output):
    if isinstance(value, str):
        return Cast(F(value), output)
    if value is None:
        return Value(None, output_field=output)
    return value


def _part(source: Source, f: Filter, user=None) -> QuerySet | None:
    qs = source.model.objects.all()
    if user is not None:
        if source.visible is None:
            return None
        qs = qs.filter(source.visible(user))
    if f.actor:
        qs = qs.filter(actor_id=f.actor)
    if f.action:
        qs = qs.filter(action=f.action) if not f.action.endswith(".") else qs.filter(action__startswith=f.action)
    tz = timezone.get_current_timezone()
    if f.since:
        qs = qs.filter(at__gte=datetime.combine(f.since, time.min, tzinfo=tz))
    if f.until:
        qs = qs.filter(at__lt=datetime.combine(f.until + timedelta(days=1), time.min, tzinfo=tz))
    qs = qs.annotate(a_firm=Cast(F(source.firm), IntegerField()) if isinstance(source.firm, str) else source.firm)
    if f.firms is not None:
        # On the field itself where there is one: its index serves the firm's file (the cast would not).
        qs = qs.filter(**{f"{source.firm}__in" if isinstance(source.firm, str) else "a_firm__in": f.firms})
    qs = qs.annotate(
        a_at=F("at"), a_actor=F("actor_id"), a_action=F("action"),
        a_ref=_expr(source.ref, IntegerField()),
        a_ref_kind=source.ref_kind if source.ref_kind is not None else Value("", output_field=CharField()),
        a_title=Cast(source.title, TextField()) if not isinstance(source.title, str) else Cast(F(source.title), TextField()),
        a_note=_expr(source.note, TextField()), a_internal=_expr(source.internal, TextField()),
        a_public=_expr(source.public, BooleanField()),
        a_to=Case(When(from_status=F("to_status"), then=Value("")), default=F("to_status"), output_field=CharField())
        if source.states else Value("", output_field=CharField()),
        a_source=Value(source.key, output_field=CharField()),
    )
    return qs.order_by().values(*COLUMNS)


def rows(f: Filter, *, user=None) -> QuerySet:
    """The rows, newest first, as one query (page it by slicing). ``user``: only what this person may see in
    each domain (a firm's file); without it every row (the audit trail, for those who may read it)."""
    parts = [p for s in sorted(SOURCES.values(), key=lambda s: (s.order, s.key))
             if (not f.kinds or s.key in f.kinds) and (p := _part(s, f, user)) is not None]
    if not parts:
        return SOURCES["audit"].model.objects.none().values(*COLUMNS) if "audit" in SOURCES else QuerySet().none()
    first, rest = parts[0], parts[1:]
    qs = first.union(*rest, all=True) if rest else first
    return qs.order_by("-a_at", "-a_ref")


@dataclass
class Entry:
    at: datetime
    actor: Any
    action: str
    label: Any
    firm: Any
    title: str
    url: str
    note: str
    internal_note: str
    public: bool
    source: str
    kind: Any = ""  # what the source is called (Problems, Credit …)
    to: Any = ""    # the state a change led to, when it changed

    @property
    def who(self) -> str:
        """The person's name ("" for the platform itself)."""
        return (self.actor.get_full_name() or self.actor.username) if self.actor is not None else ""


def resolve(page_rows, *, internal: bool = True) -> list[Entry]:
    """Names, labels and links for one page of rows (two queries: the people and the firms)."""
    from yingshang.directory.models import Enterprise

    from . import audit
    from .actions import event_label
    from .models import User

    page_rows = list(page_rows)
    people = User.objects.in_bulk({r["a_actor"] for r in page_rows if r["a_actor"]})
    firms = Enterprise.objects.only("id", "name").in_bulk({r["a_firm"] for r in page_rows if r["a_firm"]})
    out = []
    for r in page_rows:
        source = SOURCES.get(r["a_source"])
        try:
            url = source.link(r["a_ref_kind"], r["a_ref"]) if source and r["a_ref"] else ""
        except NoReverseMatch:
            url = ""
        out.append(Entry(at=r["a_at"], actor=people.get(r["a_actor"]), action=r["a_action"],
                         label=audit.label(r["a_action"]) or event_label(r["a_action"]), firm=firms.get(r["a_firm"]), title=r["a_title"] or "",
                         url=url, note=r["a_note"] or "", internal_note=(r["a_internal"] or "") if internal else "",
                         public=bool(r["a_public"]), source=r["a_source"], kind=source.label if source else "",
                         to=source.states.get(r["a_to"], "") if source else ""))
    return out


def link(name: str) -> Callable[[str, int], str]:
    """A source's ``link`` for a record reached by one URL name."""
    return lambda kind, pk: reverse(name, args=[pk])


def links(names: dict[str, str]) -> Callable[[str, int], str]:
    """A source's ``link`` when its rows point at several kinds of record (``ref_kind`` → URL name)."""
    return lambda kind, pk: reverse(names[kind], args=[pk]) if kind in names else ""


def audit_source() -> Source:
    """The audit log (sign-ins, settings, imports, the directory, the administration): officials only."""
    from django.utils.translation import gettext_lazy

    from . import roles
    from .models import AuditEntry

    firm = Case(When(object_type="directory.enterprise", then=Cast("object_id", IntegerField())), default=None,
                output_field=IntegerField())
    return Source(key="audit", label=gettext_lazy("Sign-ins, settings and the directory"), model=AuditEntry,
                  order=90, firm=firm, ref=firm, title=F("object_repr"), link=link("directory:enterprise"),
                  note=None, internal=None, public=Value(False, output_field=BooleanField()),
                  visible=lambda user: Q() if roles.is_staff_member(user) else Q(pk__in=[]))
