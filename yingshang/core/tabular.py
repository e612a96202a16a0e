"""Reading uploaded CSV / XLSX tables into rows, for all-or-nothing imports.

A table's first row is its header. Each data row comes back as ``(row_number, {header: text})``
with the spreadsheet's own row number, so errors can point at the row the official sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _


class TableError(ValueError):
    """The file itself cannot be read (wrong format, no header, …)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise TableError(_("Unsupported file type: upload an .xlsx or .csv file."))
    if not rows:
        raise TableError(_("The file is empty."))
    header = [cell_text(h) for h in rows[0][1]]
    if not any(header):
        raise TableError(_("The first row must hold the column headers."))
    out = []
    for number, values in rows[1:]:
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        texts += [""] * (len(header) - len(texts))
        out.append((number, {h: texts[i] for i, h in enumerate(header) if h}))
    return header, out


def _read_csv(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    reader = csv.reader(io.StringIO(text))
    return [(i, row) for i, row in enumerate(reader, start=1)]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        ws = wb.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def parse_date(text: str) -> date:
    text = text.strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(
            "-".join(p.zfill(2) for p in text.split("-"))
        )
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text}) from exc


def rows_with_columns(report: ImportReport, data: bytes, filename: str, required: list[str]):
    """The data rows of an uploaded table, or None after noting in ``report`` the required columns that are
    missing or that the table has no data rows. (A file that cannot be read raises ``TableError``.)"""
    header, rows = read_table(data, filename)
    missing = [h for h in required if h not in header]
    if missing:
        report.errors += [RowError(1, h, _("Missing column.")) for h in missing]
        return None
    if not rows:
        report.errors.append(RowError(2, "", _("The file has no data rows.")))
        return None
    return rows
