"""API conventions: every error is JSON ``{"code": <stable code>, "detail": <message>, "fields"?: {...}}``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.routers import DefaultRouter
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


class Router(DefaultRouter):
    """The API's router: a record's id in a URL is ASCII digits that fit an id (``false``, ``null`` or a
    20-digit number is not found, never a database error)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(viewset, "lookup_field", "pk") == "pk":
            viewset.lookup_value_regex = "[0-9]{1,18}"
        return super().get_lookup_regex(viewset, lookup_prefix)


# --- API tokens -------------------------------------------------------------------------------------

class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField(help_text="the key's first characters (the key itself is shown once)")
    label = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=["active", "expired", "revoked", "void"])


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send it as `Authorization: Token <token>`")
    expires_at = serializers.DateTimeField()


def _token_data(t) -> dict:
    from .tokens import state

    return {"id": t.pk, "prefix": t.prefix, "label": t.label, "created_at": t.created_at, "expires_at": t.expires_at,
            "last_used_at": t.last_used_at, "state": state(t)}


class TokenObtainView(APIView):
    """Sign in with a user name and password for a token that works ``API_TOKEN_DAYS`` days."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: NewTokenSerializer}, auth=[])
    def post(self, request):
        from django.contrib.auth import authenticate

        from .tokens import token_create

        s = TokenRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = authenticate(request=request._request, username=s.validated_data["username"],
                            password=s.validated_data["password"])
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("Wrong user name or password."))
        token, key = token_create(actor=user, label=s.validated_data["label"], request=request._request)
        return Response({"token": key, "expires_at": token.expires_at})


class TokenViewSet(viewsets.GenericViewSet):
    """The caller's own tokens: list them, revoke one."""

    serializer_class = TokenSerializer
    pagination_class = None

    def get_queryset(self):
        from .models import ApiToken

        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).select_related("user")

    @extend_schema(responses=TokenSerializer(many=True))
    def list(self, request):
        return Response(TokenSerializer([_token_data(t) for t in self.get_queryset()], many=True).data)

    @extend_schema(request=None, responses=TokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        from django.shortcuts import get_object_or_404

        from .tokens import token_revoke

        t = token_revoke(actor=request.user, token=get_object_or_404(self.get_queryset(), pk=pk), request=request._request)
        return Response(TokenSerializer(_token_data(t)).data)


def add_action_endpoints(viewset, table, *, response_serializer, noun: str, prefix: str) -> None:
    """One POST per action of ``table`` on ``viewset``'s records (``/<id>/<action>/``): who may act is checked
    before what was sent is read; the action's fields are its request body; a state that moved on is a 409."""
    from django.db import transaction
    from django.shortcuts import get_object_or_404

    from . import actionforms
    from .actions import IllegalTransition

    def make(a):
        @extend_schema(request=actionforms.serializer_class(a), responses={200: response_serializer},
                       summary=str(a.label), operation_id=f"{prefix}_{a.name}")
        def handler(self, request, pk=None):
            obj = get_object_or_404(self.get_queryset(), pk=pk)
            if not a.allowed(request.user, obj):
                raise exceptions.PermissionDenied(_("You may not do this to this %(noun)s.") % {"noun": noun})
            s = actionforms.serializer_class(a)(data=request.data)
            s.is_valid(raise_exception=True)
            try:
                with transaction.atomic():
                    a.perform(request.user, obj, s.validated_data)
            except IllegalTransition as exc:
                raise Conflict(detail={"detail": _("Not possible now: the record has moved on (%(status)s).")
                                       % {"status": exc.status}}, code="illegal_transition") from None
            return Response(response_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

        handler.__name__ = f"do_{a.name}"
        return action(detail=True, methods=["post"], url_path=a.name, url_name=a.name)(handler)

    for a in table:
        setattr(viewset, f"do_{a.name}", make(a))


class ExportRequestSerializer(serializers.Serializer):
    scope = serializers.CharField(max_length=60, help_text="the ledger to export: `tickets.ledger`, "
                                                           "`directory.enterprises` or `credit.records`")
    format = serializers.ChoiceField(choices=["xlsx", "csv"])
    query = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                  help_text="the ledger page's filter as a query string, e.g. `status=open&q=供电`")


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scope = serializers.CharField()
    format = serializers.CharField()
    query = serializers.CharField()
    state = serializers.ChoiceField(choices=["pending", "running", "done", "failed"])
    rows_total = serializers.IntegerField(allow_null=True)
    rows_done = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download = serializers.CharField(allow_null=True, help_text="where the file is, once it is ready")


def _export_data(e) -> dict:
    from . import exports

    return {"id": e.pk, "scope": e.scope, "format": e.format, "query": e.query,
            "state": "failed" if exports.failed(e) else e.state, "rows_total": e.rows_total, "rows_done": e.rows_done,
            "created_at": e.created_at, "finished_at": e.finished_at,
            "download": f"/api/v1/exports/{e.pk}/download/" if e.state == e.State.DONE else None}


class ExportViewSet(viewsets.GenericViewSet):
    """The caller's exports of large ledgers, written in the background: ask for one, follow it, download it."""

    serializer_class = ExportSerializer

    def get_queryset(self):
        from .models import Export

        if getattr(self, "swagger_fake_view", False):
            return Export.objects.none()
        return Export.objects.filter(owner=self.request.user).select_related("job")

    @extend_schema(responses=ExportSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ExportSerializer([_export_data(e) for e in page], many=True).data)

    @extend_schema(responses=ExportSerializer)
    def retrieve(self, request, pk=None):
        from django.shortcuts import get_object_or_404

        return Response(ExportSerializer(_export_data(get_object_or_404(self.get_queryset(), pk=pk))).data)

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportSerializer})
    def create(self, request):
        from . import exports

        scope = request.data.get("scope") if isinstance(request.data, dict) else None
        kind = exports.ledger(scope) if isinstance(scope, str) else None
        if kind is not None and not request.user.has_perm(kind.perm):  # who, before what they sent
            raise exceptions.PermissionDenied
        s = ExportRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        e = exports.request_export(actor=request.user, scope=s.validated_data["scope"], fmt=s.validated_data["format"],
                                   query=s.validated_data["query"], request=request._request)
        e.refresh_from_db()
        return Response(ExportSerializer(_export_data(e)).data, status=202)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        from django.shortcuts import get_object_or_404

        from . import uploads

        e = get_object_or_404(self.get_queryset(), pk=pk)
        if e.state != e.State.DONE or not e.file:
            raise Http404
        return uploads.serve(e.file, e.filename, attachment=True)
