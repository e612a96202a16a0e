"""The interface's language: the one the user chose (kept on their account), else the one chosen in this
browser before signing in, else Chinese — never guessed from what the browser asks for (an official's
computer may well be set to English)."""

from django.conf import settings
from django.utils import translation

COOKIE = settings.LANGUAGE_COOKIE_NAME


def chosen(request) -> str:
    user = getattr(request, "user", None)
    codes = {code for code, _name in settings.LANGUAGES}
    if user is not None and user.is_authenticated and user.language in codes:
        return user.language
    cookie = request.COOKIES.get(COOKIE, "")
    return cookie if cookie in codes else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """In place of Django's LocaleMiddleware (which follows the browser's Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
