"""The 一企一档 profile is one page every capability adds a panel to.

Higher apps call :func:`register` from their ``AppConfig.ready``; the profile shows each panel
the viewer may see, in ``order``."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    order: int = 100
    context: Callable | None = None  # (request, enterprise) -> dict
    visible: Callable | None = None  # (user, enterprise) -> bool


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(request, enterprise) -> list[dict]:
    out = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if panel.visible and not panel.visible(request.user, enterprise):
            continue
        ctx = panel.context(request, enterprise) if panel.context else {}
        out.append({"key": panel.key, "title": panel.title, "template": panel.template, "ctx": ctx})
    return out
