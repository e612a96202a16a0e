"""Streaming CSV and XLSX downloads of ledgers. Rows come from an iterator, so memory stays flat."""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse

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
