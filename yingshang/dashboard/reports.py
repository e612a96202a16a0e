"""The reports the platform writes (月报, 周报, any period) in the shape officials send up: a heading, a
summary paragraph that states the figures in sentences, the tables, and the charts as images — as DOCX
(python-docx), XLSX (XlsxWriter) and PDF (reportlab, with its built-in Song typeface: no font file needed)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .figures import SECTIONS, Dims
from .periods import Period


def _fmt(v, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, (Decimal, int)):
        v = f"{v:,}"
    return f"{v}{unit}" if unit == "%" else f"{v}"


def _change(c) -> str:
    if c is None:
        return "—"
    return f"{'+' if c > 0 else ''}{c}%"


def _period_words(kind: str) -> str:
    return {"monthly": _("This month"), "weekly": _("This week")}.get(kind, _("In the period"))


def report_title(kind: str, period: Period, group=None, bureau=None) -> str:
    """The report's title: its kind, its period and, when narrowed, the group and the bureau."""
    from .models import Report

    label = dict(Report.Kind.choices)[kind]
    if kind == Report.Kind.MONTHLY:
        when = _("%(y)d-%(m)02d") % {"y": period.start.year, "m": period.start.month}
    else:
        when = f"{period.start.isoformat()} — {period.end.isoformat()}"
    scope = " · ".join(x.name for x in (group, bureau) if x is not None)
    text = _("Business environment %(kind)s (%(when)s)") % {"kind": label, "when": when}
    return f"{text} · {scope}" if scope else text


def compose(*, kind: str, period: Period, dims: Dims, group=None, bureau=None) -> dict:
    """What the report says: its title, the summary in sentences, the tables and the charts' data; and the
    figures as they are now (kept with the report)."""
    from . import selectors

    answers = selectors.figure_answers(period, dims)
    by = {a["key"]: a for a in answers}
    title = report_title(kind, period, group, bureau)

    def v(key, field="value"):
        return _fmt(by[key][field]) if by[key]["applies"] else "—"

    sentences = [
        _("%(period)s the zone registered %(registered)s problems raised by firms and closed out %(closed)s; "
          "%(on_time)s%% were resolved on time and %(satisfied)s%% of the firms who rated were satisfied.")
        % {"period": _period_words(kind), "registered": v("tickets.registered"), "closed": v("tickets.closed"),
           "on_time": v("tickets.on_time_resolution_rate"), "satisfied": v("tickets.satisfaction_rate")},
        _("%(started)s major projects broke ground with a total investment of %(amount)s hundred million yuan; "
          "%(returned)s returned projects broke ground (%(ramount)s hundred million yuan).")
        % {"started": v("projects.major_started"), "amount": v("projects.major_started", "amount"),
           "returned": v("projects.returned"), "ramount": v("projects.returned", "amount")},
        _("Random inspections drew %(firms)s firms and made %(visits)s inspector visits; joint inspection saved "
          "%(saved)s visits. Safety campaigns checked %(checks)s units, found %(found)s hazards and rectified "
          "%(fixed)s.")
        % {"firms": v("inspections.firms_drawn"), "visits": v("inspections.inspector_visits"),
           "saved": v("inspections.visits_saved"), "checks": v("safety.checks"), "found": v("safety.hazards_found"),
           "fixed": v("safety.hazards_rectified")},
        _("%(online)s%% of the applications were made online; %(red)s firms are on the red list and %(black)s on "
          "the black list.")
        % {"online": v("catalog.online_rate"), "red": v("credit.red_list"), "black": v("credit.black_list")},
    ]
    summary = ("" if (get_language() or "zh-hans").startswith("zh") else " ").join(sentences)
    table = [[_("Figure"), _("Value"), _("Unit"), _("Previous period"), _("Change"), _("A year earlier"),
              _("Change")]]
    sections = []
    for code, name in SECTIONS:
        rows = [a for a in answers if a["section"] == code]
        sections.append((str(name), rows))
        table.append([str(name), "", "", "", "", "", ""])
        for a in rows:
            value = _fmt(a["value"], a["unit"]) if a["applies"] else _("not split this way")
            if a["amount"] is not None:
                value += f" / {_fmt(a['amount'])} {a['amount_unit']}"
            table.append([a["name"], value, a["unit"], _fmt(a["previous"], a["unit"]), _change(a["change_previous"]),
                          _fmt(a["year_before"], a["unit"]), _change(a["change_year"])])
    ranks = selectors.rankings(period, dims)
    rank_table = [[_("Department"), _("Problems resolved"), _("Resolved on time")]] + [
        [d["name"], str(d["n"]), _fmt(d["rate"], "%")] for d in ranks["departments"]]
    trend = selectors.trends(period.trend(12), dims, keys=["tickets.registered", "tickets.closed"])
    figures_json = [{k: (str(x) if isinstance(x, Decimal) else x) for k, x in a.items()
                     if k in ("key", "name", "unit", "value", "previous", "year_before", "amount", "amount_unit",
                              "change_previous", "change_year", "parts", "applies")} for a in answers]
    for f in figures_json:
        f["parts"] = {k: (str(x) if isinstance(x, Decimal) else x) for k, x in f["parts"].items()}
    return {"title": title, "summary": summary, "table": table, "rank_table": rank_table, "trend": trend,
            "ranks": ranks, "figures_json": figures_json, "period": period, "kind": kind,
            "written": timezone.localtime().strftime("%Y-%m-%d %H:%M")}


# --- charts as images ---------------------------------------------------------------------------------

def _font(size: int):
    from PIL import ImageFont

    for path in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                 "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(path, size), path.endswith(".ttc")
        except OSError:
            continue
    return ImageFont.load_default(), False


def chart_png(series: dict[str, list[dict]], labels: dict[str, str], *, width=1200, height=520) -> bytes:
    """Bars per month for each series (registered beside closed out), drawn with Pillow."""
    from PIL import Image, ImageDraw

    colours = ["#0f3d7a", "#2e9d5b", "#d08a1e"]
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font, cjk = _font(20)
    small, _cjk = _font(16)
    keys = list(series)
    months = [p["month"] for p in series[keys[0]]] if keys else []
    top = max([p["value"] or 0 for k in keys for p in series[k]] + [1])
    left, right, upper, lower = 70, 20, 60, 60
    plot_w, plot_h = width - left - right, height - upper - lower
    draw.line([(left, upper), (left, upper + plot_h), (left + plot_w, upper + plot_h)], fill="#888", width=2)
    for i in range(5):
        y = upper + plot_h - plot_h * i / 4
        draw.line([(left, y), (left + plot_w, y)], fill="#e5e5e5")
        draw.text((8, y - 10), f"{round(top * i / 4):,}", fill="#555", font=small)
    slot = plot_w / max(1, len(months))
    bar = slot * 0.8 / max(1, len(keys))
    for j, key in enumerate(keys):
        for i, p in enumerate(series[key]):
            h = plot_h * (p["value"] or 0) / top
            x = left + i * slot + slot * 0.1 + j * bar
            draw.rectangle([x, upper + plot_h - h, x + bar - 2, upper + plot_h], fill=colours[j % 3])
    for i, m in enumerate(months):
        draw.text((left + i * slot + slot * 0.1, upper + plot_h + 8), m[2:], fill="#333", font=small)
    x = left
    for j, key in enumerate(keys):
        draw.rectangle([x, 20, x + 18, 38], fill=colours[j % 3])
        name = labels[key] if cjk or labels[key].isascii() else key
        draw.text((x + 24, 16), name, fill="#222", font=font)
        x += 40 + int(draw.textlength(name, font=font))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _chart(content) -> bytes:
    return chart_png(content["trend"], {"tickets.registered": _("Problems registered"),
                                        "tickets.closed": _("Problems closed out")})


# --- the three files ----------------------------------------------------------------------------------

def render(content: dict) -> dict[str, bytes]:
    png = _chart(content)
    return {"docx": _docx(content, png), "xlsx": _xlsx(content), "pdf": _pdf(content, png)}


def _docx(content: dict, png: bytes) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = doc.add_heading(content["title"], level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(_("Period: %(start)s to %(end)s · written %(at)s") % {
        "start": content["period"].start.isoformat(), "end": content["period"].end.isoformat(),
        "at": content["written"]})
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(_("Summary"), level=2)
    p = doc.add_paragraph(content["summary"])
    p.paragraph_format.first_line_indent = Cm(0.74)
    doc.add_heading(_("The figures"), level=2)
    _docx_table(doc, content["table"], section_rows=True)
    doc.add_heading(_("Problems by month"), level=2)
    doc.add_picture(io.BytesIO(png), width=Cm(16))
    doc.add_heading(_("Departments by on-time resolution"), level=2)
    _docx_table(doc, content["rank_table"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc, rows, *, section_rows=False):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = str(cell)
        if i == 0 or (section_rows and not any(row[1:])):
            for c in table.rows[i].cells:
                for para in c.paragraphs:
                    for run in para.runs:
                        run.bold = True


def _xlsx(content: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet(_("Figures")[:31])
    ws.write(0, 0, content["title"], bold)
    ws.write(1, 0, content["summary"])
    for i, row in enumerate(content["table"]):
        ws.write_row(3 + i, 0, row, bold if i == 0 or not any(row[1:]) else None)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 6, 16)
    ws2 = wb.add_worksheet(_("Departments")[:31])
    for i, row in enumerate(content["rank_table"]):
        ws2.write_row(i, 0, row, bold if i == 0 else None)
    ws2.set_column(0, 0, 30)
    ws3 = wb.add_worksheet(_("By month")[:31])
    ws3.write_row(0, 0, [_("Month"), _("Problems registered"), _("Problems closed out")], bold)
    reg, closed = content["trend"].get("tickets.registered", []), content["trend"].get("tickets.closed", [])
    for i, p in enumerate(reg):
        ws3.write_row(i + 1, 0, [p["month"], p["value"] or 0, closed[i]["value"] or 0 if i < len(closed) else 0])
    wb.close()
    return out.getvalue()


def _pdf(content: dict, png: bytes) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, firstLineIndent=21,
                          wordWrap="CJK")
    h1 = ParagraphStyle("h1", fontName="STSong-Light", fontSize=17, leading=24, alignment=1, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName="STSong-Light", fontSize=13, leading=20, spaceBefore=10, spaceAfter=4)
    small = ParagraphStyle("small", fontName="STSong-Light", fontSize=8.5, leading=11, wordWrap="CJK")
    meta = ParagraphStyle("meta", parent=small, alignment=1)
    story = [Paragraph(escape(content["title"]), h1),
             Paragraph(escape(_("Period: %(start)s to %(end)s · written %(at)s") % {
                 "start": content["period"].start.isoformat(), "end": content["period"].end.isoformat(),
                 "at": content["written"]}), meta), Spacer(1, 8),
             Paragraph(escape(_("Summary")), h2), Paragraph(escape(content["summary"]), body),
             Paragraph(escape(_("The figures")), h2)]

    def table(rows, widths):
        t = Table([[Paragraph(escape(str(c)), small) for c in r] for r in rows], colWidths=widths, repeatRows=1)
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for i, r in enumerate(rows):
            if i and not any(r[1:]):
                style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f4f4f4")))
        t.setStyle(TableStyle(style))
        return t

    story.append(table(content["table"], [5.2 * cm, 3.2 * cm, 1.6 * cm, 2.2 * cm, 1.7 * cm, 2.2 * cm, 1.7 * cm]))
    story += [Paragraph(escape(_("Problems by month")), h2), Image(io.BytesIO(png), width=16 * cm, height=6.9 * cm),
              Paragraph(escape(_("Departments by on-time resolution")), h2),
              table(content["rank_table"], [8 * cm, 4 * cm, 5 * cm])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=content["title"], leftMargin=1.8 * cm, rightMargin=1.8 * cm,
                      topMargin=1.8 * cm, bottomMargin=1.8 * cm).build(story)
    return out.getvalue()

