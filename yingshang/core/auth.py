"""Log-in pages. In demo mode (DEBUG) the log-in page lists the demo accounts."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

_demo_accounts: Callable[[], list[dict]] | None = None


def set_demo_accounts_provider(provider: Callable[[], list[dict]]) -> None:
    global _demo_accounts
    _demo_accounts = provider


class LoginForm(AuthenticationForm):
    """The log-in form, refusing a user name longer than any account's before anyone is asked to check it
    (the lock-out's log stores what was tried)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if settings.DEBUG and _demo_accounts is not None:
            ctx["demo_accounts"] = _demo_accounts()
            ctx["demo_password"] = settings.DEMO_PASSWORD
        return ctx


def locked_out(request, credentials=None, *args, **kwargs):
    """Too many failed sign-ins (429): JSON for the API, the lock-out page otherwise."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": _("Too many failed sign-ins: try again later.")},
                            status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_timedelta": settings.AXES_COOLOFF_TIME},
                  status=429)
