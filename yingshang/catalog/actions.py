"""The catalogue's actions and events (see ``core.actions``)."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import STAFF, EventType, domain

from .models import Event, Item


def _item(obj):
    return obj if isinstance(obj, Item) else obj.item


def _link(obj):
    from django.urls import reverse

    return reverse("portal:guide_item", args=[_item(obj).code])


def _context(obj):
    item = _item(obj)
    return {"item": item.current.name if item.current_id else item.code, "code": item.code}


catalog = domain("catalog", subject="item", link=_link, context=_context,
                 group_key=lambda obj: f"catalog.item:{_item(obj).pk}")
catalog.event_model = Event

E = catalog.event
E(EventType("catalog.item.published", _("item published"), audience=STAFF))
