"""Streaming CSV and XLSX downloads of ledgers, and exports of large ledgers in the background. Rows come from
an iterator, so memory stays flat."""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import actions, audit, jobs
from .xlsx import write_xlsx


class _Echo:
    def write(self, value):
        return value


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell as Excel will not execute it: text that starts like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sheet1",
                  widths: Sequence[int] | None = None) -> FileResponse:
    """The workbook is written to a temporary file as the rows stream from the database, then sent."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(tmp, header, rows, sheet=sheet, widths=widths)
    tmp.seek(0)
    response = FileResponse(tmp, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _disposition(filename)
    return response


def write(out, fmt: str, header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Sheet1",
          widths: Sequence[int] | None = None) -> None:
    """A whole ledger into ``out`` (binary), as a workbook or as UTF-8 CSV with the BOM Excel needs."""
    if fmt == "xlsx":
        write_xlsx(out, header, rows, sheet=sheet, widths=widths)
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    text.detach()


# --- exports in the background -------------------------------------------------------------------------
# A ledger larger than ``EXPORT_DIRECT_ROWS`` is not written inside a request: the page asks for an ``Export``,
# a job writes the file (the page shows how far it is), the owner is told when it is ready and downloads it
# from "my exports". Each ledger that may be exported so registers how its rows are built for a user and a
# filter — the same function its direct download uses, so both give the same file.

@dataclass(frozen=True)
class Sheet:
    filename: str            # without the extension
    header: Sequence[str]
    rows: Iterable[Sequence]  # streamed
    total: int
    sheet: str = "Sheet1"
    widths: Sequence[int] | None = None


@dataclass(frozen=True)
class Ledger:
    scope: str               # "tickets.ledger"
    label: object            # what the owner's list calls it
    perm: str                # who may export it
    url_name: str            # the ledger's page
    build: Callable[..., Sheet]  # build(user, query: QueryDict) -> Sheet, as the user may see it now
    check: Callable[..., object] | None = None  # check(query: QueryDict) raises ValidationError for a bad filter


_ledgers: dict[str, Ledger] = {}
JOB = "core.export"
PROGRESS_EVERY = 1000  # rows between two updates of the progress bar


def register(ledger: Ledger) -> None:
    _ledgers[ledger.scope] = ledger


def ledger(scope: str) -> Ledger | None:
    return _ledgers.get(scope)


def direct_rows() -> int:
    """The largest result a page downloads directly; above it the export runs in the background."""
    return int(getattr(settings, "EXPORT_DIRECT_ROWS", 5000))


def response(fmt: str, sheet: Sheet):
    """The direct download of a small ledger."""
    name = f"{sheet.filename}.{fmt}"
    if fmt == "csv":
        return csv_response(name, sheet.header, sheet.rows)
    return xlsx_response(name, sheet.header, sheet.rows, sheet=sheet.sheet, widths=sheet.widths)


def direct(request, fmt: str, sheet: Sheet, too_many: str):
    """The direct download of ``sheet`` on a ledger's page; None when it is over the limit, the user then told
    ``too_many`` (its %(rows)s and %(limit)s filled: "… export them in the background")."""
    from django.contrib import messages

    if sheet.total <= direct_rows():
        return response(fmt, sheet)
    messages.error(request, too_many % {"rows": sheet.total, "limit": direct_rows()})
    return None


def request_export(*, actor, scope: str, fmt: str, query: str, request=None):
    """Ask for a ledger in the background, with the filter the page had (its query string). Only a user who may
    export that ledger; the rows are those the user may see when the file is written. Asking again for the same
    file while it is still waiting or being written gives the export already asked for."""
    from .models import Export

    kind = _ledgers.get(scope)
    if kind is None:
        raise ValidationError(_("There is no such ledger to export."), code="scope")
    if not actor.is_authenticated or not actor.has_perm(kind.perm):
        raise PermissionDenied
    if fmt not in Export.Format.values:
        raise ValidationError(_("Choose Excel (XLSX) or CSV."), code="format")
    query = QueryDict(query or "").copy()
    for name in ("export", "page", "size"):
        query.pop(name, None)
    if kind.check is not None:
        kind.check(query)
    query = query.urlencode()
    if len(query) > Export._meta.get_field("query").max_length:
        raise ValidationError(_("The filter is too long to keep."), code="query")
    with transaction.atomic():
        # A second click on the same button while the first file is still being written gives that export.
        waiting = (Export.objects.select_for_update(of=("self",)).filter(owner=actor, scope=scope, query=query, format=fmt,
                                                             state__in=[Export.State.PENDING, Export.State.RUNNING])
                   .exclude(job__state="failed").first())
        if waiting is not None:
            return waiting
        export = Export.objects.create(owner=actor, scope=scope, query=query, format=fmt)
        export.job = jobs.enqueue(JOB, {"export": export.pk}, key=f"export:{export.pk}")
        export.save(update_fields=["job"])
        audit.record(actor=actor, action="core.export.requested", obj=export, request=request,
                     data={"scope": scope, "format": fmt, "query": query})
    return export


class _Counted:
    """The rows as they pass to the file, counted; every ``PROGRESS_EVERY`` the export's progress is saved."""

    def __init__(self, rows, export_pk: int):
        self.rows, self.export_pk, self.done = rows, export_pk, 0

    def __iter__(self):
        from .models import Export

        for row in self.rows:
            yield row
            self.done += 1
            if self.done % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=self.export_pk).update(rows_done=self.done)


def run_job(payload: dict) -> dict:
    """The job: write the file once (a second run of a finished export does nothing), tell the owner."""
    from . import notifications
    from .models import Export

    export = Export.objects.select_related("owner").get(pk=payload["export"])
    if export.state == Export.State.DONE:
        return {"rows": export.rows_done}
    kind = _ledgers[export.scope]
    owner = export.owner
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        if not owner.is_active or not owner.has_perm(kind.perm):
            Export.objects.filter(pk=export.pk).update(state=Export.State.FAILED, finished_at=timezone.now())
            return {"refused": "the owner may no longer export this ledger"}
        sheet = kind.build(owner, QueryDict(export.query))
        Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, rows_total=sheet.total, rows_done=0)
        filename = f"{sheet.filename}.{export.format}"
        with tempfile.TemporaryFile() as tmp:
            counted = _Counted(sheet.rows, export.pk)
            write(tmp, export.format, sheet.header, counted, sheet=sheet.sheet, widths=sheet.widths)
            tmp.seek(0)
            export.file.save(filename, File(tmp), save=False)
        rows = counted.done
        export.state, export.filename, export.finished_at = Export.State.DONE, filename, timezone.now()
        export.rows_done, export.rows_total = rows, rows
        export.save(update_fields=["state", "filename", "file", "finished_at", "rows_done", "rows_total"])
        notifications.send(
            recipients=[owner], kind=actions.UPDATE, event="core.export.done",
            title=_("Your export of %(ledger)s is ready: %(rows)s rows") % {"ledger": kind.label, "rows": rows},
            link=reverse("export_page", args=[export.pk]))
    return {"rows": rows}


def failed(export) -> bool:
    """An export whose job gave up (its last attempt failed) or that was refused when it ran."""
    return export.state == export.State.FAILED or (
        export.state != export.State.DONE and export.job is not None and export.job.state == "failed")
