"""API conventions: every error is JSON ``{"code": <stable code>, "detail": <message>, "fields"?: {...}}``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _first_code(detail) -> str | None:
    if isinstance(detail, dict):
        for value in detail.values():
            code = _first_code(value)
            if code:
                return code
    elif isinstance(detail, list):
        for value in detail:
            code = _first_code(value)
            if code:
                return code
    return getattr(detail, "code", None)


def exception_handler(exc, context):
    from django.utils.translation import gettext as _

    from .actions import IllegalTransition

    if isinstance(exc, IllegalTransition):
        exc = Conflict(detail={"detail": _("Not possible now: the record has moved on (%(status)s).")
                               % {"status": exc.status}}, code="illegal_transition")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "detail": _summary(exc.detail), "fields": exc.detail}
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            code = _first_code(exc.detail) or code
        body = {"code": code, "detail": response.data.get("detail", "") if isinstance(response.data, dict) else response.data}
    response.data = body
    return response


def _summary(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            msg = _summary(value)
            return msg if key == "non_field_errors" else f"{key}: {msg}"
    if isinstance(detail, list) and detail:
        return _summary(detail[0])
    return str(detail)


def requires_perm(perm: str):
    """A DRF permission class that asks the ``rules`` permission ``perm`` of the caller."""
    from rest_framework.permissions import BasePermission

    class _RequiresPerm(BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))

    _RequiresPerm.__name__ = f"Requires_{perm.replace('.', '_')}"
    return _RequiresPerm


class Conflict(exceptions.APIException):
    """The record's current state does not allow the action (HTTP 409)."""

    status_code = 409
    default_code = "conflict"
    default_detail = "conflict"


class CachedFieldsMixin:
    """Builds a ModelSerializer's fields once per class (introspecting the model on every instance costs
    more than the rest of a create request); each instance gets its own copies."""

    def get_fields(self):
        import copy

        cls = type(self)
        if "_fields_template" not in cls.__dict__:
            cls._fields_template = super().get_fields()
        return copy.deepcopy(cls._fields_template)


class Router:
    """The API's router: a record's id in a URL is ASCII digits that fit an id (``false``, ``null`` or a
    20-digit number is not found, never a database error)."""

    def __new__(cls, *args, **kwargs):
        from rest_framework.routers import DefaultRouter

        class _Router(DefaultRouter):
            def get_lookup_regex(self, viewset, lookup_prefix=""):
                if getattr(viewset, "lookup_value_regex", None) is None and \
                        getattr(viewset, "lookup_field", "pk") == "pk":
                    viewset.lookup_value_regex = "[0-9]{1,18}"
                return super().get_lookup_regex(viewset, lookup_prefix)

        return _Router(*args, **kwargs)
