from django.conf import settings

from . import navigation, roles
from .selectors import calendar_status, unread_notification_count


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"debug": settings.DEBUG}
    names = roles.role_names(user)
    ctx = {
        "debug": settings.DEBUG,
        "nav_items": navigation.menu_for(user, request.path),
        "user_roles": [(r, roles.ROLES[r]) for r in roles.ROLES if r in names],
        "unread_notifications": unread_notification_count(user),
    }
    if roles.ADMIN in names or user.is_superuser:
        ctx["calendar_status"] = calendar_status()
    return ctx
