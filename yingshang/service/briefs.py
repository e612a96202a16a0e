"""The task force's daily brief as a Word document (the same content as its printable page)."""

from io import BytesIO

from django.utils.translation import gettext as _


def brief_docx(brief: dict) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    tf, day = brief["tf"], brief["day"]
    doc.add_heading(_("%(name)s daily brief, %(day)s") % {"name": tf.name, "day": day.isoformat()}, level=1)
    doc.add_paragraph(_("Problems: %(received)d received and %(closed)d closed today; %(open)d open, %(overdue)d "
                        "past their limit.") % brief)
    s = brief["supply"]
    doc.add_paragraph(_("Supply list: %(normal)d normal, %(at_risk)d at risk, %(stopped)d stopped.") % s)
    if brief["attention"]:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Firm"), _("Status"), _("Situation"), _("Open problems"))):
            cell.text = str(text)
        for w in brief["attention"]:
            row = table.add_row().cells
            row[0].text, row[1].text = w.enterprise.name, str(w.get_status_display())
            row[2].text, row[3].text = w.note, str(w.open_problems)
    if brief["groups"]:
        doc.add_heading(_("Groups"), level=2)
        for g in brief["groups"]:
            doc.add_paragraph(_("%(name)s: %(open)d open problems") % {"name": g["tf"].name, "open": g["open"]},
                              style="List Bullet")
    if brief["updates"]:
        doc.add_heading(_("Today's updates"), level=2)
        for e in brief["updates"]:
            doc.add_paragraph(f"{e.at.astimezone().strftime('%H:%M')} {e.enterprise.name if e.enterprise else ''}"
                              f" {e.status_label} {e.internal_note}", style="List Bullet")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
