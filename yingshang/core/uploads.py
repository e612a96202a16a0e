"""Uploaded files, shared by every app that accepts them: limits (type by extension, size, count) and serving a
stored file back to someone the view has already allowed to see it."""

import mimetypes
import time
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".zip"}
MAX_FILE_BYTES = settings.MAX_UPLOAD_BYTES
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif"}  # shown as thumbnails and opened in the browser
MAX_NAME_LENGTH = 100  # characters of a file's name (the stored path adds the record's folder)


KEPT_DIR = "kept"  # files chosen in a form that came back with an error, until it is sent again
KEPT_HOURS = 24


def accept_attribute() -> str:
    """What a file input offers to choose: exactly the accepted types."""
    return ",".join(sorted(ALLOWED_EXTENSIONS))


def input_attrs(max_count: int = 1) -> dict:
    """A file input's attributes: the browser refuses a wrong type or an oversized file before uploading it
    (``app.js``), with the same messages the server would give."""
    return {"accept": accept_attribute(), "data-max-bytes": str(MAX_FILE_BYTES), "data-max-count": str(max_count),
            "data-max-total": str(settings.MAX_REQUEST_BYTES - 1048576),  # the rest of the form fits in 1 MB
            "data-msg-total": _("Together the files are larger than %(mb)d MB: send fewer now and add the others "
                                "afterwards.") % {"mb": settings.MAX_REQUEST_BYTES // 1048576},
            "data-msg-size": _("“%(name)s” is larger than %(mb)d MB.").replace("%(mb)d", str(MAX_FILE_BYTES // 1048576)),
            "data-msg-type": _("“%(name)s”: this type of file is not accepted (allowed: %(types)s).")
            .replace("%(types)s", " ".join(sorted(ALLOWED_EXTENSIONS))),
            "data-msg-count": _("At most %(n)d files.").replace("%(n)d", str(max_count))}


def types_hint(max_count: int = 1) -> str:
    """Exactly what is accepted, as the person choosing files reads it."""
    values = {"types": " ".join(e.lstrip(".") for e in sorted(ALLOWED_EXTENSIONS)), "mb": MAX_FILE_BYTES // 1048576,
              "n": max_count}
    if max_count > 1:
        return _("Up to %(n)d files of at most %(mb)d MB each; accepted types: %(types)s.") % values
    return _("One file of at most %(mb)d MB; accepted types: %(types)s.") % values


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


def is_image(fieldfile) -> bool:
    return bool(fieldfile) and PurePath(fieldfile.name).suffix.lower() in IMAGE_EXTENSIONS


def serve(fieldfile, filename: str | None = None, *, attachment: bool | None = None) -> HttpResponseBase:
    """A file the caller has checked the person may read. An image opens in the browser (it is shown as a
    thumbnail) unless ``attachment``; any other file is downloaded. On object storage the answer is a redirect
    to a signed address that is valid for a minute (``STORAGE_S3_URL_SECONDS``), so the file never passes
    through the application server; on the local folder the file is sent by the platform."""
    if not fieldfile:
        raise Http404
    filename = filename or PurePath(fieldfile.name).name
    inline = is_image(fieldfile) and not attachment
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if not isinstance(fieldfile.storage, FileSystemStorage):
        url = fieldfile.storage.url(fieldfile.name, parameters={
            "ResponseContentDisposition": content_disposition_header(not inline, filename),
            "ResponseContentType": content_type})
        return HttpResponseRedirect(url)  # never cached (every page is no-store): the address expires
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if inline:
        return FileResponse(handle, content_type=content_type, filename=filename)
    return FileResponse(handle, as_attachment=True, filename=filename)


# --- files kept across a form error --------------------------------------------------------------------

def keep(user, files) -> list[dict]:
    """Store the files of a form that came back with an error, so the person need not choose them again.
    Each comes back as a token signed for this user; a token of another user or a day old is refused."""
    _prune()
    kept = []
    for f in files:
        if isinstance(f, KeptFile):  # already kept: the same token again
            f.close()
            kept.append({"token": f.token, "name": f.name, "size": f.size})
            continue
        path = default_storage.save(f"{KEPT_DIR}/{uuid.uuid4().hex}/{clean_name(f)}", f)
        token = signing.dumps({"u": user.pk, "p": path}, salt="uploads.kept")
        kept.append({"token": token, "name": PurePath(path).name, "size": f.size})
    return kept


class KeptFile(File):
    """A kept file, opened only when it is read (to be saved with the record)."""

    def __init__(self, path: str, token: str):
        self.path, self.token, self.name, self.mode, self._file = path, token, PurePath(path).name, "rb", None

    @property
    def file(self):
        if self._file is None:
            self._file = default_storage.open(self.path, "rb")
        return self._file

    @file.setter
    def file(self, value):
        self._file = value

    @property
    def size(self):
        return default_storage.size(self.path)

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None


def kept(user, tokens) -> list[KeptFile]:
    """The files behind the tokens a form sent back; tokens that are forged, foreign or expired are ignored."""
    files = []
    for token in tokens[:MAX_KEPT]:
        try:
            data = signing.loads(token, salt="uploads.kept", max_age=KEPT_HOURS * 3600)
        except signing.BadSignature:
            continue
        path = data.get("p", "")
        if data.get("u") != user.pk or not path.startswith(KEPT_DIR + "/") or ".." in path \
                or not default_storage.exists(path):
            continue
        files.append(KeptFile(path, token))
    return files


def acceptable(files) -> list:
    """The files that pass the limits one by one (the others were refused with a message)."""
    good = []
    for f in files:
        try:
            validate_files([f], max_count=1)
        except ValidationError:
            continue
        good.append(f)
    return good[:MAX_KEPT]


def release(files) -> None:
    """The form went through: the kept copies are no longer needed (the record saved its own)."""
    for f in files:
        if isinstance(f, KeptFile):
            f.close()
            default_storage.delete(f.path)


MAX_KEPT = 20


def _prune() -> None:
    """Kept files older than a day are dropped (their form was abandoned)."""
    try:
        folders = default_storage.listdir(KEPT_DIR)[0]
    except FileNotFoundError:
        return
    cutoff = time.time() - KEPT_HOURS * 3600
    for folder in folders:
        for name in default_storage.listdir(f"{KEPT_DIR}/{folder}")[1]:
            path = f"{KEPT_DIR}/{folder}/{name}"
            if default_storage.get_modified_time(path).timestamp() < cutoff:
                default_storage.delete(path)
