"""Fill the zh_Hans catalogue from tools/zh_hans.py and report what is still untranslated."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from zh_hans import ZH  # noqa: E402

PO = Path(__file__).resolve().parent.parent / "yingshang/locale/zh_Hans/LC_MESSAGES/django.po"


def unquote(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).encode().decode("unicode_escape").encode("latin-1").decode()


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    text = PO.read_text(encoding="utf-8")
    text = text.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"')
    text = text.replace("#, fuzzy\n", "", 1)
    missing = []
    pattern = re.compile(r'(msgid ((?:".*"\n)+))(msgid_plural (?:".*"\n)+)?(msgstr(?:\[0\])? (?:".*"\n)+)(msgstr\[1\] (?:".*"\n)+)?')

    def fill(m):
        msgid = unquote(m.group(2))
        if not msgid:
            return m.group(0)
        zh = ZH.get(msgid)
        if zh is None:
            missing.append(msgid)
            return m.group(0)
        if m.group(3):
            return m.group(1) + m.group(3) + f"msgstr[0] {quote(zh)}\n"
        return m.group(1) + f"msgstr {quote(zh)}\n"

    text = pattern.sub(fill, text)
    # Every entry now comes from ZH: drop the "fuzzy" guesses makemessages may have marked.
    text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M)
    text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
    text = re.sub(r"^(#,.*?), fuzzy", r"\1", text, flags=re.M)
    text = re.sub(r"^#\| msgid .*\n(?:#\| .*\n)*", "", text, flags=re.M)
    PO.write_text(text, encoding="utf-8")
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
