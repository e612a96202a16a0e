"""The navigation menu. Each app registers its entries in ``AppConfig.ready``; the layout shows
the entries the user's roles allow, in ``order``."""

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse

from . import roles


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    icon: str
    order: int = 100
    roles: frozenset = frozenset()  # empty: every signed-in user
    visible: Callable | None = None  # extra test on the user

    def allowed(self, user) -> bool:
        if self.roles and not roles.has_role(user, *self.roles):
            return False
        return self.visible(user) if self.visible else True


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def menu_for(user, current_path: str = "") -> list[dict]:
    out = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if item.allowed(user):
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            out.append({"key": item.key, "label": item.label, "url": url, "icon": item.icon, "active": active})
    return out
