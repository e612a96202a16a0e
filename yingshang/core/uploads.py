"""Limits on uploaded files (type by extension, size, count), shared by every app that accepts them."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".zip"}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 100  # characters of a file's name (the stored path adds the record's folder)


def validate_files(files, *, field: str = "attachments", max_count: int = 20, existing: int = 0) -> None:
    """Refuse the whole upload when any file is of a wrong type or too large, or there are too many."""
    files = list(files or [])
    if existing + len(files) > max_count:
        raise ValidationError({field: _("At most %(n)d attachments per problem.") % {"n": max_count}
                               if field == "attachments" else _("At most %(n)d files.") % {"n": max_count}})
    for f in files:
        if len(PurePath(f.name).name) > MAX_NAME_LENGTH:
            raise ValidationError({field: _("“%(name)s…”: the file name is too long (at most %(n)d characters); "
                                            "rename the file and upload it again.")
                                   % {"name": PurePath(f.name).name[:30], "n": MAX_NAME_LENGTH}})
        if PurePath(f.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise ValidationError({field: _("“%(name)s”: this type of file is not accepted (allowed: %(types)s).")
                                   % {"name": f.name, "types": " ".join(sorted(ALLOWED_EXTENSIONS))}})
        if f.size > MAX_FILE_BYTES:
            raise ValidationError({field: _("“%(name)s” is larger than %(mb)d MB.")
                                   % {"name": f.name, "mb": MAX_FILE_BYTES // 1048576}})


def clean_name(f) -> str:
    return PurePath(f.name).name[:200]
