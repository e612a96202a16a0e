"""How higher apps follow applications without the catalogue knowing them (DESIGN.md §2: projects calls the
catalogue; the catalogue never imports projects). An app registers a callback in its ``AppConfig.ready``;
the catalogue calls it inside the transaction of the change, with the application and the event name
(``applications.application.submitted``, ``.approved``, ``.denied`` …). Only applications made for a
record (``Application.ref``) are announced."""

from collections.abc import Callable

_listeners: dict[str, list[Callable]] = {}


def on_application(prefix: str, callback: Callable) -> None:
    """``callback(application, event_name)`` for every change of an application whose ``ref`` starts with
    ``prefix`` (``"projects.step:"``)."""
    bucket = _listeners.setdefault(prefix, [])
    if callback not in bucket:
        bucket.append(callback)


def announce(application, event_name: str) -> None:
    if not application.ref:
        return
    for prefix, callbacks in _listeners.items():
        if application.ref.startswith(prefix):
            for callback in callbacks:
                callback(application, event_name)
