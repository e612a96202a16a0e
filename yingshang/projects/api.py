"""Projects over HTTP: projects with their particulars and stored lights, their steps, the computed schedule
— scoped as the pages (officials see every project, a firm its own) — and the two step actions an approval
system reports back through (started, done)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yingshang.core import workdays

from . import selectors, services
from .actions import projects as TABLE
from .models import Link, Project, Step


class StepSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    after = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["id", "code", "name", "phase", "department", "statutory_days", "committed_days", "status",
                  "actual_start", "actual_finish", "early_start", "early_finish", "late_start", "late_finish", "slack",
                  "critical", "light", "after", "notes"]

    def get_after(self, s) -> list[dict]:
        return [{"step": link.predecessor.code, "lag": link.lag} for link in getattr(s, "preds", [])]


class ProjectSerializer(serializers.ModelSerializer):
    investor = serializers.SlugRelatedField(slug_field="uscc", read_only=True, allow_null=True)
    investor_label = serializers.CharField(read_only=True)
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True)
    leader = serializers.StringRelatedField(allow_null=True)
    steward = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Project
        fields = ["id", "number", "name", "investor", "investor_label", "bureau", "industry", "kind", "investment",
                  "land_mu", "site", "capacity", "is_returned", "returned_from", "leader", "steward", "stage",
                  "stage_since", "stage_reason", "first_contact_on", "starts_on", "target_signing", "target_start",
                  "target_production", "power_kva", "power_status", "water_t_day", "water_status", "gas_m3_day",
                  "gas_status", "land_status", "light", "finish", "slack", "shortfall", "next_name", "next_on",
                  "statutory_span", "committed_span"]


class StepActionSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


@extend_schema(parameters=[OpenApiParameter("major", bool, description="only projects at or above the major "
                                                                       "threshold"),
                           OpenApiParameter("bureau", int), OpenApiParameter("stage", str),
                           OpenApiParameter("light", str)])
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        filters = selectors.Filters.from_query(self.request.query_params)
        filters.everything = self.request.query_params.get("major") not in ("1", "true")
        return filters.apply(selectors.projects_visible_to(self.request.user)) \
            .select_related("investor", "bureau", "leader", "steward").order_by("id")

    @extend_schema(responses=StepSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def steps(self, request, pk=None):
        return Response(StepSerializer(selectors.project_steps(self.get_object()), many=True).data)

    @extend_schema(responses=dict, summary="The task list's schedule, computed now")
    @action(detail=True, methods=["get"])
    def schedule(self, request, pk=None):
        p = self.get_object()
        steps = list(p.steps.exclude(status=Step.Status.REMOVED).order_by("order", "id"))
        if not steps:
            return Response({"finish": None, "feasible": None, "shortfall": 0, "critical": [], "steps": {}})
        links = Link.objects.filter(step__project=p, active=True).values_list("step_id", "predecessor_id", "lag")
        try:
            _plan, target, schedule = services.schedule_of(p, steps, list(links), workdays.get_calendar())
        except workdays.CalendarError as exc:
            raise ValidationError(str(exc)) from None
        result = schedule.as_dict()
        start = p.starts_on or p.stage_since
        result.update(start=start.isoformat(), target=target.isoformat(), statutory_span=p.statutory_span,
                      committed_span=p.committed_span)
        return Response(result)


class StepViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StepSerializer

    def get_queryset(self):
        return Step.objects.filter(project__in=selectors.projects_visible_to(self.request.user)) \
            .select_related("department", "project")

    def _act(self, request, pk, fn):
        step = get_object_or_404(self.get_queryset(), pk=pk)
        name = "start" if fn is services.step_start else "done"
        if not TABLE[name].allowed(request.user, step):  # who may act, before what they sent is read
            raise exceptions.PermissionDenied(_("You are not allowed to do this."))
        s = StepActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        fn(actor=request.user, step=step, on=s.validated_data.get("on"), note=s.validated_data.get("note", ""))
        step.refresh_from_db()
        return Response(StepSerializer(step).data)

    @extend_schema(request=StepActionSerializer, responses=StepSerializer, summary="The step has started")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(request, pk, services.step_start)

    @extend_schema(request=StepActionSerializer, responses=StepSerializer, summary="The step is done (批复/办结)")
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._act(request, pk, services.step_finish)
