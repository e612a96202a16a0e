"""The problem ledger over HTTP: list/create/detail, one POST per action, the events — scoped exactly
as the pages, writing only through the services."""


from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yingshang.core import actionforms, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.api import CachedFieldsMixin, Conflict
from yingshang.directory.models import Enterprise

from . import selectors, services
from .actions import tickets as TABLE
from .models import Category, Ticket, TicketEvent, Urgency


class TicketSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    category = serializers.StringRelatedField()
    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    co_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "number", "enterprise", "enterprise_name", "channel", "category", "title", "description",
                  "urgency", "is_historical", "project_ref", "status", "lead_department", "co_departments",
                  "created_at", "accepted_at", "first_response_at", "resolved_at", "closed_at", "accept_due",
                  "respond_due", "resolve_due", "next_due", "dues_provisional", "answer", "outcome", "rating",
                  "return_count", "redo_count", "extension_count"]


_DATETIME = serializers.DateTimeField()


def ticket_data(t: Ticket, *, co_departments: list[str] | None = None) -> dict:
    """What ``TicketSerializer`` gives, built directly (the create endpoint's answer: a registration costs
    a third less without the serializer machinery). ``co_departments`` may be passed when known."""
    def dt(v):
        return _DATETIME.to_representation(v) if v else None

    lead = t.lead_department
    return {
        "id": t.pk, "number": t.number, "enterprise": t.enterprise.uscc, "enterprise_name": t.enterprise.name,
        "channel": t.channel, "category": str(t.category), "title": t.title, "description": t.description,
        "urgency": t.urgency, "is_historical": t.is_historical, "project_ref": t.project_ref, "status": t.status,
        "lead_department": lead.code if lead else None,
        "co_departments": co_departments if co_departments is not None else
        [d.code for d in t.co_departments.all()],
        "created_at": dt(t.created_at), "accepted_at": dt(t.accepted_at), "first_response_at": dt(t.first_response_at),
        "resolved_at": dt(t.resolved_at), "closed_at": dt(t.closed_at), "accept_due": dt(t.accept_due),
        "respond_due": dt(t.respond_due), "resolve_due": dt(t.resolve_due), "next_due": dt(t.next_due),
        "dues_provisional": t.dues_provisional, "answer": t.answer, "outcome": t.outcome, "rating": t.rating,
        "return_count": t.return_count, "redo_count": t.redo_count, "extension_count": t.extension_count,
    }


class EventSerializer(serializers.ModelSerializer):
    """An event as the firm may read it (never a note officials wrote for each other)."""

    actor = serializers.StringRelatedField(allow_null=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = TicketEvent
        fields = ["at", "actor", "action", "label", "from_status", "to_status", "note", "data"]


class StaffEventSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        fields = EventSerializer.Meta.fields + ["internal_note", "public"]


class CreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(help_text="unified social credit code of the enterprise")
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(active=True).select_related("parent", "default_department"))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    channel = serializers.ChoiceField(choices=Ticket.Channel.choices, required=False,
                                      help_text="how the problem reached the zone; the caller's usual one when "
                                                "omitted (a firm's staff: web only)")
    is_historical = serializers.BooleanField(default=False)
    project_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")

    def validate_enterprise(self, value):
        ent = Enterprise.objects.filter(uscc=value.strip().upper()).only("id", "uscc", "name").first()
        if ent is None:
            raise serializers.ValidationError(_("No enterprise has this credit code."))
        return ent


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = TicketSerializer

    def get_queryset(self):
        qs = selectors.tickets_visible_to(self.request.user).select_related(
            "enterprise", "category", "category__parent", "lead_department").prefetch_related("co_departments")
        status_ = self.request.query_params.get("status")
        if status_:
            qs = qs.filter(status=status_)
        return qs.order_by("-created_at", "-id")

    @extend_schema(request=CreateSerializer, responses={201: TicketSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                                description="a retried create with the same key returns the first ticket")])
    def create(self, request, *args, **kwargs):
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        key = request.headers.get("Idempotency-Key", "")[:200]
        t = services.ticket_register(actor=request.user, enterprise=d["enterprise"], category=d["category"],
                                     title=d["title"], description=d["description"], urgency=d["urgency"],
                                     channel=d.get("channel"), is_historical=d["is_historical"],
                                     project_ref=d.get("project_ref", ""), idempotency_key=key)
        # A new ticket has no co-handling departments (registration and routing never set them); a retried
        # create returns the first ticket, which may have them by now.
        return Response(ticket_data(t, co_departments=None if key else []), status=status.HTTP_201_CREATED)

    @extend_schema(responses=StaffEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        t = self.get_object()
        cls = StaffEventSerializer if roles.is_staff_member(request.user) else EventSerializer
        return Response(cls(selectors.ticket_events(request.user, t), many=True).data)


def _make_action(a):
    @extend_schema(request=actionforms.serializer_class(a), responses={200: TicketSerializer},
                   summary=str(a.label), operation_id=f"tickets_{a.name}")
    def handler(self, request, pk=None):
        t = get_object_or_404(self.get_queryset(), pk=pk)
        if not a.allowed(request.user, t):  # who may act, before what they sent is read
            raise exceptions.PermissionDenied(_("You may not do this to this problem."))
        s = actionforms.serializer_class(a)(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                a.perform(request.user, t, s.validated_data)
        except IllegalTransition as exc:
            raise Conflict(detail={"detail": _("Not possible now: the problem is %(status)s.") % {
                "status": Ticket.Status(t.status).label if exc.status in Ticket.Status.values else exc.status}},
                code="illegal_transition") from None
        t = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(TicketSerializer(t).data)

    handler.__name__ = f"do_{a.name}"
    return action(detail=True, methods=["post"], url_path=a.name, url_name=a.name)(handler)


# One POST per action of the table (``dispatch`` is also the name of a view method, hence the ``do_`` attributes).
for _a in TABLE:
    setattr(TicketViewSet, f"do_{_a.name}", _make_action(_a))
