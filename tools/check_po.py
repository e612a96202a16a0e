#!/usr/bin/env python3
"""Check the Chinese catalogue, the source of the UI's translations: every entry translated, none fuzzy,
and no Chinese inside an English message id (except the spreadsheet headers and values users type, which
are Chinese by definition). Exit 1 with a line per problem."""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "yingshang/locale/zh_Hans/LC_MESSAGES/django.po"
CJK = re.compile(r"[\u3400-\u9fff]")
# Message ids that name what a user types into an import file or a form: those words are the data.
DATA_WORDS = ("统一社会信用代码", "已配套的区内企业", "轻微", "是 or 否", "休", "班", "9122", "即办件 or 承诺件", "工作日 or 自然日")


def entries(text: str):
    """(line, flags, msgid, msgstrs) of each entry of a .po file."""
    def unq(lines):
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "".join(lines)))

    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        if not lines:
            continue
        flags = [ln for ln in lines if ln.startswith("#,")]
        fields: dict[str, list[str]] = {}
        key = None
        for ln in lines:
            if ln.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', ln)
            if m:
                key = m.group(1)
                fields[key] = [m.group(2)]
            elif ln.startswith('"') and key:
                fields[key].append(ln)
        if "msgid" not in fields:
            continue
        strs = [unq(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        yield lines[0], flags, unq(fields["msgid"]), strs


def problems(text: str) -> list[str]:
    out = []
    for first, flags, msgid, strs in entries(text):
        if not msgid:
            continue  # the header
        if any("fuzzy" in f for f in flags):
            out.append(f"fuzzy: {msgid}")
        if not strs or not all(strs):
            out.append(f"untranslated: {msgid}")
        if CJK.search(msgid) and not any(w in msgid for w in DATA_WORDS):
            out.append(f"Chinese in an English message id: {msgid}")
    return out


def main() -> int:
    found = problems(PO.read_text(encoding="utf-8"))
    for p in found:
        print(p)
    if found:
        print(f"{PO.relative_to(PO.parents[4])}: {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
