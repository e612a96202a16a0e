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
from .actions import financing as FINANCING
from .actions import grants as GRANTS
from .actions import service as TABLE
from .models import Application, Campaign, FinancingNeed, Match, Need, Policy, SupplyWatch, TaskForce, Visit
from .permissions import may


def _firm(value: str) -> Enterprise:
    ent = Enterprise.objects.filter(uscc=str(value).strip().upper()).first()
    if ent is None:
        raise serializers.ValidationError(_("No enterprise has this credit code."))
    return ent


# --- visits -----------------------------------------------------------------------------------------------

class ServiceVisitNeedSerializer(serializers.Serializer):
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
    needs = ServiceVisitNeedSerializer(many=True, read_only=True)

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
    needs = ServiceVisitNeedSerializer(many=True, required=False, default=list)
    policies = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), many=True, required=False,
                                                  default=list)

    def validate_enterprise(self, value):
        return _firm(value)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits: officials see every one, a firm's staff the visits to their firm."""

    queryset = Visit.objects.none()  # for the schema

    def get_serializer_class(self):
        user = self.request.user
        return ServiceStaffVisitSerializer if user.is_authenticated and may(user, "service.view") else ServiceVisitSerializer

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


class ServicePolicyMatchSerializer(serializers.Serializer):
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

    @extend_schema(responses=ServicePolicyMatchSerializer(many=True),
                   summary="Who qualifies now, and why (officials: every firm that qualifies; a firm: its own "
                           "verdict, qualifying or not)")
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        p = self.get_object()
        if may(request.user, "service.view"):
            firms = selectors.policy_matches(p)
        else:
            firms = selectors.firm_attributes(selectors.member_firms(request.user).values_list("pk", flat=True))
        rows = [{"enterprise": f["uscc"], "name": f["name"], "qualifies": matching.matches(p.conditions, f),
                 "conditions": [_leaf(x) for x in matching.explain(p.conditions, f)]} for f in firms]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ServicePolicyMatchSerializer(page, many=True).data) if page is not None \
            else Response(ServicePolicyMatchSerializer(rows, many=True).data)


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
        if not may(user, "service.view"):
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


# --- applications for policies ----------------------------------------------------------------------------------

class ServiceApplicationSerializer(serializers.ModelSerializer):
    policy = serializers.IntegerField(source="policy_id", read_only=True)
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "number", "policy", "policy_title", "enterprise", "status", "statement", "amount_requested",
                  "amount_granted", "submitted_at", "due_at", "decided_at", "reason", "paid_on", "voucher"]


class ServiceApplicationCreateSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all())
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code of the applying firm")
    statement = serializers.CharField(max_length=5000)
    amount_requested = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    def validate_enterprise(self, value):
        return _firm(value)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications for policies: officials see all, a firm its own; a firm applies, the paying department
    works them (one POST per action)."""

    serializer_class = ServiceApplicationSerializer
    queryset = Application.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Application.objects.none()
        return selectors.applications_visible_to(user).order_by("-submitted_at", "-id")

    @extend_schema(request=ServiceApplicationCreateSerializer, responses={201: ServiceApplicationSerializer})
    def create(self, request, *args, **kwargs):
        if not roles.has_role(request.user, roles.ENTERPRISE):  # before reading the body
            raise exceptions.PermissionDenied(_("Firms apply for policies."))
        s = ServiceApplicationCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if not selectors.policies_visible_to(request.user).filter(pk=d["policy"].pk).exists():
            raise exceptions.NotFound()
        a = services.application_submit(actor=request.user, policy=d["policy"], enterprise=d["enterprise"],
                                        statement=d["statement"], amount_requested=d["amount_requested"])
        return Response(ServiceApplicationSerializer(a).data, status=status.HTTP_201_CREATED)


add_action_endpoints(ApplicationViewSet, GRANTS, response_serializer=ServiceApplicationSerializer,
                     noun=gettext_lazy("application"), prefix="service_applications")


# --- 银企对接 -----------------------------------------------------------------------------------------------------

class ServiceMatchSerializer(serializers.ModelSerializer):
    need = serializers.CharField(source="need.number", read_only=True)
    bank = serializers.CharField(source="product.bank.name", read_only=True)
    product = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Match
        fields = ["id", "need", "bank", "product", "status", "reason", "amount_lent", "lent_on", "created_at"]


class ServiceNeedSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = FinancingNeed
        fields = ["id", "number", "enterprise", "enterprise_name", "amount", "term_months", "purpose", "collateral",
                  "urgency", "status", "created_at", "lent_at"]


class ServiceNeedCreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=1)
    term_months = serializers.IntegerField(min_value=1, max_value=360)
    purpose = serializers.CharField(max_length=200)
    collateral = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=FinancingNeed.Urgency.choices, default=FinancingNeed.Urgency.NORMAL)

    def validate_enterprise(self, value):
        return _firm(value)


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Financing needs: officials see all, a firm its own, a bank's officer only those matched with its products
    whose firm authorised the bank."""

    serializer_class = ServiceNeedSerializer
    queryset = FinancingNeed.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return FinancingNeed.objects.none()
        return selectors.needs_visible_to(user).order_by("-created_at", "-id")

    @extend_schema(request=ServiceNeedCreateSerializer, responses={201: ServiceNeedSerializer})
    def create(self, request, *args, **kwargs):
        if not roles.has_role(request.user, roles.ENTERPRISE, roles.STEWARD, roles.LEADER, roles.ADMIN):
            raise exceptions.PermissionDenied
        s = ServiceNeedCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        n = services.need_register(actor=request.user, **s.validated_data)
        return Response(ServiceNeedSerializer(n).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ServiceMatchSerializer(many=True), summary="The need's matches (a bank: its own)")
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request, pk=None):
        n = self.get_object()
        return Response(ServiceMatchSerializer(selectors.matches_visible_to(request.user, n), many=True).data)


class MatchViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A match, worked by its bank (under the firm's consent) or the financing officials: one POST per step."""

    serializer_class = ServiceMatchSerializer
    queryset = Match.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Match.objects.none()
        qs = Match.objects.filter(need__in=selectors.needs_visible_to(user)).select_related("need", "product__bank")
        from .permissions import bank_of

        if bank_of(user) and not may(user, "service.view"):
            qs = qs.filter(product__bank_id=bank_of(user))
        return qs.order_by("-created_at", "-id")


add_action_endpoints(MatchViewSet, FINANCING, response_serializer=ServiceMatchSerializer,
                     noun=gettext_lazy("match"), prefix="service_matches")


# --- 专班 ----------------------------------------------------------------------------------------------------------

class ServiceSupplySerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = SupplyWatch
        fields = ["id", "enterprise", "enterprise_name", "supplies", "status", "note", "updated_on"]


class ServiceTaskForceSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True,
                                       help_text="dispatch problems to this department code")
    lead = serializers.CharField(source="lead.username", read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    supply = ServiceSupplySerializer(many=True, read_only=True)

    class Meta:
        model = TaskForce
        fields = ["id", "name", "parent", "department", "lead", "starts_on", "ends_on", "status", "accept_hours",
                  "respond_hours", "resolve_hours", "supply"]


class ServiceSupplyUpdateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code of a firm on the list")
    status = serializers.ChoiceField(choices=SupplyWatch.Status.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TaskForceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Task forces with their 保供 lists (officials)."""

    serializer_class = ServiceTaskForceSerializer
    queryset = TaskForce.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return TaskForce.objects.none()
        if not may(user, "service.view"):
            raise exceptions.PermissionDenied
        return TaskForce.objects.select_related("department", "lead").prefetch_related(
            "supply", "supply__enterprise").order_by("pk")

    @extend_schema(request=ServiceSupplyUpdateSerializer, responses={200: ServiceSupplySerializer},
                   summary="Today's status of a firm on the supply list")
    @action(detail=True, methods=["post"])
    def supply(self, request, pk=None):
        tf = self.get_object()
        if not may(request.user, "service.update_supply", tf):  # before reading the body
            raise exceptions.PermissionDenied
        s = ServiceSupplyUpdateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        watch = tf.supply.filter(enterprise__uscc=s.validated_data["enterprise"].strip().upper()).first()
        if watch is None:
            raise exceptions.ValidationError({"enterprise": [_("This firm is not on the task force's list.")]})
        w = services.supply_update(actor=request.user, watch=watch, status=s.validated_data["status"],
                                   note=s.validated_data["note"])
        return Response(ServiceSupplySerializer(w).data)
