"""Hooks by which higher apps react to changes in the core without the core knowing them.

An app registers a callback in its ``AppConfig.ready``; the core calls every callback after the change
commits. (Higher apps call the core; the core never imports them.)"""

from collections.abc import Callable

_calendar_changed: list[Callable[[list[int]], None]] = []


def on_calendar_changed(callback: Callable[[list[int]], None]) -> None:
    """``callback(years)`` runs after the working calendar of ``years`` was imported or edited."""
    if callback not in _calendar_changed:
        _calendar_changed.append(callback)


def calendar_changed(years: list[int]) -> None:
    for callback in list(_calendar_changed):
        callback(years)


_sweeps: dict[str, Callable[[], object]] = {}


def register_sweep(name: str, fn: Callable[[], object]) -> None:
    """``yingshang sweep`` runs every registered ``fn()`` in name order and prints what it returns."""
    _sweeps[name] = fn


def sweeps() -> list[tuple[str, Callable[[], object]]]:
    return sorted(_sweeps.items())


_phones: list[Callable] = []


def register_contacts(fn: Callable) -> None:
    """``fn(user_ids) -> {user_id: phone}``: where the directory keeps people's phone numbers."""
    if fn not in _phones:
        _phones.append(fn)


def phones(user_ids) -> dict[int, str]:
    out: dict[int, str] = {}
    for fn in _phones:
        for uid, phone in fn(user_ids).items():
            if phone and uid not in out:
                out[uid] = phone
    return out


_defaults: list[tuple[int, str, Callable[[], object]]] = []


def register_defaults(name: str, fn: Callable[[], object], *, order: int = 50) -> None:
    """``fn()`` creates the reference data an app starts with (from its ``defaults.py``) where it is missing;
    idempotent. Lower ``order`` runs first (an app's defaults may need a lower app's)."""
    if all(n != name for _o, n, _f in _defaults):
        _defaults.append((order, name, fn))


def seed_reference_data() -> dict[str, object]:
    """The one seed step: every app's reference data, in order (run after ``migrate`` and by the demo)."""
    return {name: fn() for _order, name, fn in sorted(_defaults, key=lambda d: (d[0], d[1]))}
