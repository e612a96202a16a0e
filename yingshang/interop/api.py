"""The 12345 hotline's interface (``/api/v1/hotline/``): signed requests only (see ``hotline``). Described in the
OpenAPI schema and in docs/interop.md; ``docs/hotline_client.py`` is a client a hotline's engineers can run."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from yingshang.core import inputs

from . import hotline
from .models import ExternalRequest, Integrator, Reconciliation


class HotlineSignatureAuthentication(BaseAuthentication):
    """``X-Hotline-Key``, ``X-Timestamp`` (within five minutes) and ``X-Signature`` (HMAC-SHA256 of timestamp,
    a line break and the body, with the hotline's secret)."""

    def authenticate(self, request):
        from django.core.exceptions import PermissionDenied
        from django.http.request import RawPostDataException

        try:
            body = request._request.body
        except RawPostDataException:  # a multipart body was read as a form already: it cannot be checked
            raise exceptions.AuthenticationFailed(
                _("Send the body as JSON (application/json): only the raw body can be checked against its "
                  "signature.")) from None
        try:
            integrator = hotline.authenticate(request.headers, body)
        except PermissionDenied as e:
            raise exceptions.AuthenticationFailed(str(e)) from None
        return integrator.user, integrator

    def authenticate_header(self, request):
        return 'HMAC-SHA256 realm="12345"'


class HotlineSignatureScheme(OpenApiAuthenticationExtension):
    target_class = HotlineSignatureAuthentication
    name = "hotlineSignature"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Signature",
                "description": "X-Hotline-Key: the hotline's key; X-Timestamp: Unix seconds (within 300 s); "
                               "X-Signature: hex HMAC-SHA256 over `timestamp + \"\\n\" + body` with the secret."}


class IsHotline(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Integrator) and request.auth.kind == Integrator.Kind.HOTLINE


class HotlineOrderInSerializer(serializers.Serializer):
    order_code = serializers.CharField(max_length=64, help_text="The hotline's work-order code (idempotency key).")
    uscc = serializers.CharField(required=False, help_text="The firm's unified social credit code.")
    firm_name = serializers.CharField(required=False, help_text="The firm's registered name, when no credit code.")
    content = serializers.CharField(help_text="What the caller reported.")
    category = serializers.CharField(required=False, help_text="The hotline's own category.")
    deadline = serializers.DateTimeField(required=False, help_text="When the hotline wants it resolved (ISO 8601).")
    caller = serializers.CharField(required=False, help_text="The caller's name (officials only).")
    phone = serializers.CharField(required=False, help_text="The caller's phone (officials only).")
    attachments = serializers.ListField(child=serializers.URLField(), required=False, max_length=10)


class HotlineOrderSerializer(serializers.Serializer):
    order_code = serializers.CharField()
    ticket = serializers.CharField(help_text="The zone's problem number (QS-…).")
    status = serializers.CharField()
    resolve_due = serializers.DateTimeField(allow_null=True)
    duplicate = serializers.BooleanField(help_text="True when this order code had been received before.")
    callbacks = serializers.ListField(child=serializers.DictField(), help_text="Every push attempt to the callback.")


class HotlineRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the hotline rejects the answer (the firm and the department read it).")
    deadline = serializers.DateTimeField(required=False, help_text="A new deadline, if any.")


class HotlineReconciliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reconciliation
        fields = ["day", "received", "answered", "delivered", "differences", "made_at"]


def _order(record: ExternalRequest, duplicate: bool) -> dict:
    t = record.ticket
    return {"order_code": record.external_code, "ticket": t.number, "status": t.status,
            "resolve_due": timezone.localtime(t.resolve_due).isoformat(timespec="seconds") if t.resolve_due else None,
            "duplicate": duplicate,
            "callbacks": [{"kind": c.kind, "attempt": c.attempt, "ok": c.ok, "status_code": c.status_code,
                           "at": timezone.localtime(c.at).isoformat(timespec="seconds")}
                          for c in record.callbacks.order_by("at", "pk")]}


class _HotlineView(APIView):
    authentication_classes = [HotlineSignatureAuthentication]
    permission_classes = [IsHotline]
    throttle_classes: list = []


class HotlineOrdersView(_HotlineView):
    @extend_schema(operation_id="hotline_order_receive", request=HotlineOrderInSerializer,
                   responses={201: HotlineOrderSerializer, 200: HotlineOrderSerializer}, tags=["hotline"],
                   summary="Transfer a work order (转办); the same order code again returns the same ticket")
    def post(self, request):
        record, new = hotline.order_receive(integrator=request.auth, data=request.data)
        return Response(_order(record, not new), status=status.HTTP_201_CREATED if new else status.HTTP_200_OK)


class HotlineOrderView(_HotlineView):
    @extend_schema(operation_id="hotline_order_read", responses={200: HotlineOrderSerializer}, tags=["hotline"],
                   summary="An order's ticket: its state, deadline and the pushes made")
    def get(self, request, code: str):
        record = ExternalRequest.objects.filter(integrator=request.auth, external_code=code[:64]).select_related(
            "ticket").first()
        if record is None:
            raise exceptions.NotFound(_("No order of this code was received."))
        return Response(_order(record, True))


class HotlineRejectView(_HotlineView):
    @extend_schema(operation_id="hotline_order_reject", request=HotlineRejectSerializer,
                   responses={200: HotlineOrderSerializer}, tags=["hotline"],
                   summary="退单: reject the zone's answer; the problem is handled again")
    def post(self, request, code: str):
        t = hotline.order_reject(integrator=request.auth, code=code, data=request.data)
        if t is None:
            raise exceptions.NotFound(_("No order of this code was received."))
        record = ExternalRequest.objects.select_related("ticket").get(ticket=t)
        return Response(_order(record, True))


class HotlineReconciliationView(_HotlineView):
    @extend_schema(operation_id="hotline_reconciliation", tags=["hotline"],
                   parameters=[OpenApiParameter("day", str, description="YYYY-MM-DD (default: yesterday)")],
                   responses={200: HotlineReconciliationSerializer},
                   summary="对账: a day's orders received, answered and delivered back, with the differences")
    def get(self, request):
        raw = request.query_params.get("day")
        day = inputs.day(raw, "day") if raw else timezone.localdate() - timedelta(days=1)
        rec = hotline.reconcile(request.auth, day, save=False)
        return Response(HotlineReconciliationSerializer(rec).data)
