"""Streaming CSV and XLSX downloads of ledgers. Rows come from an iterator, so memory stays flat."""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse


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
    import xlsxwriter

    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    for col, width in enumerate(widths or [18] * len(header)):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, header, bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, ["" if v is None else v for v in row])
    wb.close()
    tmp.seek(0)
    response = FileResponse(tmp, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _disposition(filename)
    return response
