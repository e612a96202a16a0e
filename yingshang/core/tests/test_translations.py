"""The Chinese catalogue is the source of the translations: complete, nothing fuzzy, English ids in English;
and no message is translated once at import time (it would stay in one language for everyone)."""

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check_po():
    spec = importlib.util.spec_from_file_location("check_po", ROOT / "tools/check_po.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogue_is_complete_and_english_ids_are_english():
    check = _check_po()
    assert check.problems(check.PO.read_text(encoding="utf-8")) == []


def test_the_checker_finds_what_it_must():
    check = _check_po()
    text = ('msgid ""\nmsgstr ""\n\n#, fuzzy\nmsgid "Accept"\nmsgstr "签收"\n\nmsgid "Resolve"\nmsgstr ""\n\n'
            'msgid "Accept (签收)"\nmsgstr "签收"\n\nmsgid "%(n)d day"\nmsgid_plural "%(n)d days"\nmsgstr[0] ""\n')
    assert check.problems(text) == ["fuzzy: Accept", "untranslated: Resolve", "Chinese in an English message id: "
                                    "Accept (签收)", "untranslated: %(n)d day"]


def test_no_message_is_translated_at_import_time():
    """``gettext`` outside a function runs once, in whatever language the process started with."""
    found = []
    for path in (ROOT / "yingshang").rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                 and n.module == "django.utils.translation" for a in n.names
                 if a.name in ("gettext", "ngettext", "pgettext")}

        def visit(node, in_function):
            for child in ast.iter_child_nodes(node):
                inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if (not in_function and isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                        and child.func.id in eager):
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
                visit(child, inner)

        visit(tree, False)
    assert found == []


def test_every_model_in_the_admin_has_a_chinese_name():
    """Administrators read the admin in Chinese: every registered model and its app, the lockout records of
    the log-in guard included."""
    from django.contrib import admin
    from django.utils import translation

    with translation.override("zh-hans"):
        english = [(m._meta.label, str(name)) for m in admin.site._registry
                   for name in (m._meta.verbose_name_plural, m._meta.app_config.verbose_name)
                   if str(name).isascii()]
    assert english == []
