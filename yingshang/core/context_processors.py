from django.conf import settings

from . import navigation, roles
from .selectors import calendar_status, unread_notification_count


def zone() -> dict:
    """The zone's names; ``display`` is the one for the current language (officials write it in Chinese)."""
    from django.utils import translation

    english = (translation.get_language() or "").startswith("en") and settings.ZONE_NAME_EN
    return {"name": settings.ZONE_NAME, "name_en": settings.ZONE_NAME_EN, "short_name": settings.ZONE_SHORT_NAME,
            "display": settings.ZONE_NAME_EN if english else settings.ZONE_NAME}


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"debug": settings.DEBUG, "zone": zone()}
    names = roles.role_names(user)
    ctx = {
        "debug": settings.DEBUG, "zone": zone(),
        "nav_items": navigation.menu_for(user, request.path),
        "user_roles": [(r, roles.ROLES[r]) for r in roles.ROLES if r in names],
        "unread_notifications": unread_notification_count(user),
    }
    if roles.ADMIN in names or user.is_superuser:
        ctx["calendar_status"] = calendar_status()
    return ctx
