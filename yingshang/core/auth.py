"""Log-in pages. In demo mode (DEBUG) the log-in page lists the demo accounts."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import views as auth_views

_demo_accounts: Callable[[], list[dict]] | None = None


def set_demo_accounts_provider(provider: Callable[[], list[dict]]) -> None:
    global _demo_accounts
    _demo_accounts = provider


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if settings.DEBUG and _demo_accounts is not None:
            ctx["demo_accounts"] = _demo_accounts()
            ctx["demo_password"] = settings.DEMO_PASSWORD
        return ctx
