"""Credit over HTTP: records (list, create, detail), a firm's score with its explanation, the lists,
and "what applies to this firm today" for other systems. Scoped as the pages; writes go through the
services."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from yingshang.core import roles
from yingshang.core.uscc import normalize_uscc, uscc_problem
from yingshang.directory import selectors as directory_selectors
from yingshang.directory.models import Department, Enterprise

from . import selectors, services
from .models import Kind, ListEntry, Record, Severity


class RecordSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Record
        fields = ["id", "enterprise", "enterprise_name", "kind", "severity", "department", "decision_number",
                  "decided_on", "description", "public_from", "public_to", "status", "origin", "created_at"]


class RecordCreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(help_text="unified social credit code")
    kind = serializers.ChoiceField(choices=Kind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.GENERAL)
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(), required=False,
                                              help_text="department code (administrators only; default: yours)")
    decision_number = serializers.CharField(max_length=80)
    decided_on = serializers.DateField()
    description = serializers.CharField(max_length=4000)
    public_from = serializers.DateField(required=False, allow_null=True)
    public_to = serializers.DateField(required=False, allow_null=True)

    def validate_enterprise(self, value):
        return _enterprise_by_code(value, field=True)


def _enterprise_by_code(value: str, *, field: bool = False) -> Enterprise:
    code = normalize_uscc(value or "")
    problem = uscc_problem(code)
    if problem:
        if field:
            raise serializers.ValidationError(problem, code="invalid_uscc")
        raise exceptions.ValidationError({"uscc": [exceptions.ErrorDetail(problem, code="invalid_uscc")]})
    ent = Enterprise.objects.filter(uscc=code).first()
    if ent is None:
        if field:
            raise serializers.ValidationError(_("No enterprise has this credit code."), code="unknown_enterprise")
        raise exceptions.NotFound(_("No enterprise has this credit code."), code="unknown_enterprise")
    return ent


def _visible_firm(request, value: str) -> Enterprise:
    """The firm of a credit code, if the caller may see it (404 otherwise, as for an unknown one)."""
    ent = _enterprise_by_code(value)
    if not directory_selectors.enterprises_visible_to(request.user).filter(pk=ent.pk).exists():
        raise exceptions.NotFound(_("No enterprise has this credit code."), code="unknown_enterprise")
    return ent


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RecordSerializer

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.record_search(self.request.user, kind=p.get("kind", ""), status=p.get("status", ""))
        if p.get("uscc"):
            qs = qs.filter(enterprise__uscc=normalize_uscc(p["uscc"]))
        return qs

    @extend_schema(request=RecordCreateSerializer, responses={201: RecordSerializer})
    def create(self, request):
        if not request.user.has_perm("credit.add_record"):  # who may act, before what they sent is read
            raise exceptions.PermissionDenied(_("You are not allowed to do this."))
        s = RecordCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        rec = services.record_create(actor=request.user, enterprise=d["enterprise"], kind=d["kind"],
                                     severity=d["severity"], department=d.get("department"),
                                     decision_number=d["decision_number"], decided_on=d["decided_on"],
                                     description=d["description"], public_from=d.get("public_from"),
                                     public_to=d.get("public_to"), origin=Record.Origin.SYSTEM, request=request)
        return Response(RecordSerializer(rec).data, status=status.HTTP_201_CREATED)


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    effect = serializers.CharField()
    applied_in = serializers.CharField()
    description = serializers.CharField()


class MeasuresAnswerSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    grade = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    lists = serializers.ListField(child=serializers.CharField())
    measures = MeasureSerializer(many=True)
    on = serializers.DateField()


class MeasuresView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("uscc", str, required=True, description="unified social credit code"),
                    OpenApiParameter("context", str, description="the caller's decision, e.g. subsidy-review; "
                                     "with ref, the application of each measure is logged"),
                    OpenApiParameter("ref", str, description="the caller's reference of that decision")],
        responses=MeasuresAnswerSerializer, summary="What applies to this firm today")
    def get(self, request):
        if not (roles.is_staff_member(request.user) or roles.has_role(request.user, roles.ENTERPRISE)):
            raise exceptions.PermissionDenied()
        ent = _visible_firm(request, request.query_params.get("uscc", ""))
        answer = selectors.measures_for(ent.pk)
        ref = request.query_params.get("ref", "")
        if ref and answer["measures"] and roles.is_staff_member(request.user):
            services.measures_log(enterprise_id=ent.pk, measures=answer["measures"], grade=answer["grade"],
                                  context="api:" + request.query_params.get("context", "query")[:50], ref=ref,
                                  actor=request.user)
        return Response({"uscc": ent.uscc, "name": ent.name, "grade": answer["grade"], "score": answer["score"],
                         "lists": answer["lists"], "on": timezone.localdate().isoformat(),
                         "measures": [{"code": m.code, "name": m.name, "effect": m.effect, "applied_in": m.applied_in,
                                       "description": m.description} for m in answer["measures"]]})


class HistorySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    score = serializers.IntegerField()
    grade = serializers.CharField()
    rule_version = serializers.IntegerField()


class ScoreAnswerSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField()
    rule_version = serializers.IntegerField(allow_null=True)
    since = serializers.DateField(allow_null=True)
    explanation = serializers.ListField(child=serializers.DictField())
    history = HistorySerializer(many=True)


class ScoreView(APIView):
    @extend_schema(parameters=[OpenApiParameter("uscc", str, required=True)], responses=ScoreAnswerSerializer,
                   summary="A firm's score and class, with the records that moved it and the rule version used")
    def get(self, request):
        ent = _visible_firm(request, request.query_params.get("uscc", ""))
        standing = selectors.standing_of(ent.pk)
        history = selectors.score_history(ent.pk)
        return Response({
            "uscc": ent.uscc, "name": ent.name,
            "score": standing.score if standing else None, "grade": standing.grade if standing else "B",
            "rule_version": standing.ruleset.version if standing else None,
            "since": standing.since if standing else None,
            "explanation": standing.explanation if standing else [],
            "history": [{"as_of": h.as_of, "score": h.score, "grade": h.grade, "rule_version": h.ruleset.version}
                        for h in history]})


class ListEntrySerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ListEntry
        fields = ["id", "kind", "enterprise", "enterprise_name", "basis", "automatic", "starts_on", "ends_on",
                  "status"]


class ListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ListEntrySerializer

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        return selectors.list_entries(kind=kind if kind in ("red", "black") else "")
