import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from yingshang.core.xlsx import column_letter, write_xlsx


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_a_sheet_reads_back_with_header_types_and_escaping():
    buf = io.BytesIO()
    n = write_xlsx(buf, ["编号", "名称", "数量", "日期"], [
        ["QS-2026-000001", "A & B <公司>", 3, date(2026, 2, 14)],
        ["QS-2026-000002", " 前后空格 ", None, ""],
        ["QS-2026-000003", "控制\x01字符", 2.5, True],
    ], sheet="诉求台账", widths=[16, 30, 8, 12])
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["诉求台账"]
    rows = list(ws.iter_rows(values_only=True))
    assert n == 3
    assert rows[0] == ("编号", "名称", "数量", "日期")
    assert rows[1] == ("QS-2026-000001", "A & B <公司>", 3, "2026-02-14")
    assert rows[2] == ("QS-2026-000002", " 前后空格 ", None, None)
    assert rows[3] == ("QS-2026-000003", "控制字符", 2.5, "是")
    assert ws.freeze_panes == "A2" and ws["A1"].font.b


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=20), st.integers(-10**9, 10**9)), min_size=3, max_size=3),
                max_size=20))
def test_any_text_and_numbers_round_trip(rows):
    buf = io.BytesIO()
    write_xlsx(buf, ["a", "b", "c"], rows)
    back = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(min_row=2, values_only=True))

    def expected(v):
        if isinstance(v, str):
            v = "".join(ch for ch in v if not ("\x00" <= ch <= "\x08" or ch in "\x0b\x0c" or "\x0e" <= ch <= "\x1f"))
            return v or None
        return v

    want = [tuple(expected(v) for v in row) for row in rows]
    got = [tuple(r) for r in back]
    assert [g for g in got if any(x is not None for x in g)] == [w for w in want if any(x is not None for x in w)]
