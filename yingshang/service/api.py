"""万人助万企 over HTTP, scoped as the pages: visits (recorded with their problems, needs and policies; confirmed
and annotated, one POST per action), the policy library and who qualifies (``/policies/{id}/matches``),
campaigns with their coverage, and a firm's yearly figures — writing only through the services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from yingshang.core import roles
from yingshang.core.api import add_action_endpoints
from yingshang.directory.models import Enterprise
from yingshang.tickets.models import Category

from . import matching, selectors, services
from .actions import service as TABLE
from .models import Campaign, Need, Policy, Visit


def _firm(value: str) -> Enterprise:
    ent = Enterprise.objects.filter(uscc=str(value).strip().upper()).first()
    if ent is None:
        raise serializers.ValidationError(_("No enterprise has this credit code."))
    return ent


# --- visits -----------------------------------------------------------------------------------------------

class ServiceNeedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Need.Kind.choices)
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ServiceProblemSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ServiceVisitSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True, allow_null=True)
    problems = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    policies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    needs = ServiceNeedSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "number", "campaign", "enterprise", "enterprise_name", "author", "companions", "visited_on",
                  "form", "discussion", "problems", "needs", "policies", "confirmed_at", "created_at",
                  "editable_until"]


class ServiceStaffVisitSerializer(ServiceVisitSerializer):
    class Meta(ServiceVisitSerializer.Meta):
        fields = ServiceVisitSerializer.Meta.fields + ["internal_note"]


class ServiceVisitCreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code of the firm visited")
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), required=False, allow_null=True)
    visited_on = serializers.DateField()
    form = serializers.ChoiceField(choices=Visit.Form.choices)
    discussion = serializers.CharField(max_length=5000, help_text="what was discussed (the firm reads it)")
    companions = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    internal_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                          help_text="for officials; the firm never sees it")
    problems = ServiceProblemSerializer(many=True, required=False, default=list,
                                 help_text="each is registered in the ledger in the same step")
    needs = ServiceNeedSerializer(many=True, required=False, default=list)
    policies = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), many=True, required=False,
                                                  default=list)

    def validate_enterprise(self, value):
        return _firm(value)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits: officials see every one, a firm's staff the visits to their firm."""

    queryset = Visit.objects.none()  # for the schema

    def get_serializer_class(self):
        user = self.request.user
        return ServiceStaffVisitSerializer if user.is_authenticated and user.has_perm("service.view") else ServiceVisitSerializer

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Visit.objects.none()
        return selectors.visits_visible_to(user).prefetch_related("problems", "needs", "policies").order_by(
            "-visited_on", "-id")

    @extend_schema(request=ServiceVisitCreateSerializer, responses={201: ServiceStaffVisitSerializer})
    def create(self, request, *args, **kwargs):
        if not roles.has_role(request.user, roles.STEWARD, roles.LEADER, roles.ADMIN):  # before reading the body
            raise exceptions.PermissionDenied(_("You may not record visits."))
        s = ServiceVisitCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        v = services.visit_record(actor=request.user, enterprise=d["enterprise"], campaign=d.get("campaign"),
                                  visited_on=d["visited_on"], form=d["form"], discussion=d["discussion"],
                                  companions=d["companions"], internal_note=d["internal_note"],
                                  problems=d["problems"], needs=d["needs"], policies=d["policies"],
                                  idempotency_key=request.headers.get("Idempotency-Key", "")[:64])
        return Response(ServiceStaffVisitSerializer(self.get_queryset().get(pk=v.pk)).data, status=status.HTTP_201_CREATED)


add_action_endpoints(VisitViewSet, TABLE, response_serializer=ServiceVisitSerializer, noun=gettext_lazy("visit"),
                     prefix="service_visits")


# --- policies ---------------------------------------------------------------------------------------------

class ServicePolicySerializer(serializers.ModelSerializer):
    paying_department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "title", "issuer", "document_number", "effective_on", "expires_on", "benefit", "amount",
                  "paying_department", "window_opens", "window_closes", "how_to_apply", "automatic", "conditions",
                  "status", "version"]


class ServiceLeafSerializer(serializers.Serializer):
    attr = serializers.CharField()
    op = serializers.CharField()
    value = serializers.JSONField()
    met = serializers.BooleanField()
    negated = serializers.BooleanField()
    actual = serializers.JSONField()


class ServiceMatchSerializer(serializers.Serializer):
    enterprise = serializers.CharField(help_text="unified social credit code")
    name = serializers.CharField()
    qualifies = serializers.BooleanField()
    conditions = ServiceLeafSerializer(many=True)


def _leaf(x: matching.Leaf) -> dict:
    actual = x.actual
    return {"attr": x.attr, "op": x.op, "value": x.value, "met": x.met, "negated": x.negated,
            "actual": str(actual) if actual is not None and not isinstance(actual, (bool, int, str)) else actual}


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The policy library: officials see all of it, firms the policies in force."""

    serializer_class = ServicePolicySerializer
    queryset = Policy.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Policy.objects.none()
        return selectors.policies_visible_to(user).order_by("-effective_on", "-id")

    @extend_schema(responses=ServiceMatchSerializer(many=True),
                   summary="Who qualifies now, and why (officials: every firm that qualifies; a firm: its own "
                           "verdict, qualifying or not)")
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        p = self.get_object()
        if request.user.has_perm("service.view"):
            firms = selectors.policy_matches(p)
        else:
            firms = selectors.firm_attributes(selectors.member_firms(request.user).values_list("pk", flat=True))
        rows = [{"enterprise": f["uscc"], "name": f["name"], "qualifies": matching.matches(p.conditions, f),
                 "conditions": [_leaf(x) for x in matching.explain(p.conditions, f)]} for f in firms]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ServiceMatchSerializer(page, many=True).data) if page is not None \
            else Response(ServiceMatchSerializer(rows, many=True).data)


# --- campaigns --------------------------------------------------------------------------------------------

class ServiceCampaignSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    bureaus = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "department", "starts_on", "ends_on", "bureaus", "industries", "sizes", "key_only",
                  "coverage"]

    def get_coverage(self, c) -> dict:
        if not self.context.get("detail"):
            return {}
        cov = selectors.campaign_coverage(c)
        return {"firms": cov["firms"], "visited": cov["visited"], "rate": cov["rate"], "visits": cov["visits"],
                "not_visited": [r["firm"].uscc for r in cov["rows"] if not r["visited"]]}


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visiting campaigns (officials); one campaign with its coverage and the firms not yet visited."""

    serializer_class = ServiceCampaignSerializer
    queryset = Campaign.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Campaign.objects.none()
        if not user.has_perm("service.view"):
            raise exceptions.PermissionDenied
        return Campaign.objects.select_related("department").prefetch_related("bureaus").order_by("-starts_on", "-id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}


# --- a firm's yearly figures --------------------------------------------------------------------------------

class ServiceFactsSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True,
                                       default=None)
    headcount = serializers.IntegerField(min_value=0, max_value=10**7, required=False, allow_null=True, default=None)
    rd_expense = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                          allow_null=True, default=None)

    def validate_enterprise(self, value):
        return _firm(value)


class FactsView(APIView):
    """Enter (or correct) a firm's revenue, headcount and R&D spending for a year: the firm's own staff and the
    officials who serve it."""

    @extend_schema(request=ServiceFactsSerializer, responses={200: ServiceFactsSerializer})
    def post(self, request):
        if not (roles.has_role(request.user, roles.ENTERPRISE, roles.STEWARD, roles.HANDLER, roles.DEPT_HEAD,
                               roles.LEADER, roles.ADMIN)):
            raise exceptions.PermissionDenied
        s = ServiceFactsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        f = services.facts_set(actor=request.user, enterprise=d["enterprise"], year=d["year"], revenue=d["revenue"],
                               headcount=d["headcount"], rd_expense=d["rd_expense"])
        return Response({"enterprise": f.enterprise.uscc, "year": f.year, "revenue": f.revenue,
                         "headcount": f.headcount, "rd_expense": f.rd_expense})
