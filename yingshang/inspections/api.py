"""Inspections over HTTP (read): plans with their draws, visits with results and orders — scoped as the
pages (officials see all, an inspector their assignments, a firm its completed inspections) — and the
published draw records."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


from . import selectors
from .models import Campaign, Check, Draw, Hazard, Inspector, Item, Order, Plan, Result, Visit


class DrawSerializer(serializers.ModelSerializer):
    firms = serializers.SerializerMethodField()
    inspectors = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = ["id", "sequence", "status", "frozen_at", "firms_hash", "inspectors_hash", "firms", "inspectors",
                  "seed", "seed_source", "drawn_at", "record_hash", "reason"]

    def get_firms(self, d) -> int:
        return len(d.firms)

    def get_inspectors(self, d) -> int:
        return len(d.inspectors)


class PlanSerializer(serializers.ModelSerializer):
    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    items = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    draws = DrawSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "number", "name", "year", "batch", "status", "lead_department", "departments", "items",
                  "starts_on", "ends_on", "ratios", "min_inspectors", "cap", "quiet_months", "draws"]


class ResultSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Result
        fields = ["item", "outcome", "note", "recorded_at"]


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "requirement", "due_on", "status", "submitted_at", "verified_at"]


class VisitSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="number", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    inspectors = serializers.SlugRelatedField(slug_field="certificate", many=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)
    orders = OrderSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "plan", "position", "enterprise", "enterprise_name", "grade", "status", "inspectors",
                  "visited_on", "completed_at", "publish_due", "published_at", "results", "orders"]


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanSerializer

    def get_queryset(self):
        if not self.request.user.has_perm("inspections.view"):
            return Plan.objects.none()
        return Plan.objects.select_related("lead_department").prefetch_related("departments", "items", "draws") \
            .order_by("-year", "-batch", "-id")


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer

    queryset = Visit.objects.none()  # for the schema

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Visit.objects.none()
        return selectors.visits_visible_to(user).select_related("plan", "enterprise").prefetch_related(
            "inspectors", "results", "results__item", "orders").order_by("plan_id", "position")


class DrawRecordViewSet(viewsets.GenericViewSet):
    """Published draw records (no login, as on the public pages)."""

    permission_classes = [AllowAny]
    queryset = Draw.objects.exclude(status=Draw.Status.FROZEN)

    @extend_schema(responses={200: dict}, summary="The published draw record (verify with `yingshang draw verify`)")
    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        return Response(self.get_object().record)


class ItemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Item
        fields = ["code", "name", "department", "basis", "applies_to", "method", "level", "active"]


class InspectorSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Inspector
        fields = ["certificate", "name", "department", "fields", "active"]


class _StaffOnly:
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.has_perm("inspections.view"):
            return self.queryset.none()
        return self.queryset


class ItemViewSet(_StaffOnly, mixins.ListModelMixin, viewsets.GenericViewSet):
    """抽查事项清单."""

    serializer_class = ItemSerializer
    queryset = Item.objects.select_related("department").order_by("department__sort_order", "code")


class InspectorViewSet(_StaffOnly, mixins.ListModelMixin, viewsets.GenericViewSet):
    """执法检查人员名录库 (officials only)."""

    serializer_class = InspectorSerializer
    queryset = Inspector.objects.select_related("department").order_by("department__sort_order", "certificate")


class HazardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hazard
        fields = ["id", "description", "level", "due_on", "status", "rectified_on", "rectification"]


class CheckSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    hazards = HazardSerializer(many=True, read_only=True)

    class Meta:
        model = Check
        fields = ["id", "enterprise", "enterprise_name", "checked_on", "checkers", "hazards"]


class CampaignSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "sector", "department", "starts_on", "ends_on", "description"]


class CampaignViewSet(_StaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """专项排查, with its checks and hazards (``/checks/``) and its figures (``/statistics/``)."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.select_related("department").order_by("-starts_on", "-id")

    @extend_schema(responses=CheckSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def checks(self, request, pk=None):
        return Response(CheckSerializer(selectors.campaign_checks(self.get_object()), many=True).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def statistics(self, request, pk=None):
        return Response(selectors.campaign_statistics(campaign=self.get_object()))
