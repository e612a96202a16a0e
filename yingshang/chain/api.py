"""The chains and 招商 over HTTP, scoped as the pages: chains with their segments and coverage, supply relations
(recorded by the chain office; confirmed, disputed or ended one POST per action), who depends on a firm
downstream, the target library, campaigns and their invitations (contacts, stages, the signing that opens a
returned project) — writing only through the services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from yingshang.core.api import add_action_endpoints
from yingshang.directory.models import Enterprise, EnterpriseMember

from . import selectors, services
from .actions import chain as CHAIN
from .actions import supply as SUPPLY
from .models import Campaign, Chain, Consultation, Factor, Invitation, Opinion, Relation, Segment, Site, Target
from .permissions import may


def _firm(value: str) -> Enterprise:
    ent = Enterprise.objects.filter(uscc=str(value).strip().upper()).first()
    if ent is None:
        raise serializers.ValidationError(_("No enterprise has this credit code."))
    return ent


class _Staff:
    def _staff(self):
        user = self.request.user
        return user.is_authenticated and may(user, "chain.view")


class ChainSegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    position = serializers.CharField()
    is_key = serializers.BooleanField()
    depth = serializers.IntegerField()
    n_firms = serializers.IntegerField(help_text="Local firms on it and on every segment under it")
    coverage = serializers.ChoiceField(choices=["gap", "weak", "strong"], help_text="缺链 / 弱链 / 强链")


class ChainSerializer(serializers.ModelSerializer):
    chief = serializers.CharField(source="chief.username", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    anchors = serializers.SlugRelatedField(slug_field="uscc", many=True, read_only=True)
    segments = serializers.SerializerMethodField()

    class Meta:
        model = Chain
        fields = ["id", "name", "chief", "office", "anchors", "description", "segments"]

    @extend_schema_field(ChainSegmentSerializer(many=True))
    def get_segments(self, c) -> list[dict]:
        return ChainSegmentSerializer(selectors.chain_segments(c), many=True).data


class ChainViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The industrial chains, each with its segments in tree order and how well each is covered."""

    serializer_class = ChainSerializer
    queryset = Chain.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Chain.objects.none()
        return Chain.objects.select_related("chief", "office").prefetch_related("anchors").order_by("order", "id")


class ChainRelationSerializer(serializers.ModelSerializer):
    supplier = serializers.SlugRelatedField(slug_field="uscc", read_only=True, allow_null=True)
    supplier_label = serializers.CharField(read_only=True)
    customer = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    segment = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Relation
        fields = ["id", "supplier", "supplier_label", "supplier_region", "customer", "customer_name", "segment",
                  "product", "share", "since", "source", "status", "version"]


class ChainRelationCreateSerializer(serializers.Serializer):
    customer = serializers.CharField(help_text="The customer's credit code")
    supplier = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="The supplier's credit code (a firm of the zone)")
    supplier_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supplier_region = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    product = serializers.CharField(max_length=100)
    segment = serializers.PrimaryKeyRelatedField(queryset=Segment.objects.all(), required=False, allow_null=True,
                                                 default=None)
    share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None,
                                     min_value=0, max_value=100)
    since = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_customer(self, value):
        return _firm(value)

    def validate_supplier(self, value):
        return _firm(value) if value else None


class RelationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supply relations: officials see them all; a firm's staff those their firm is party to."""

    serializer_class = ChainRelationSerializer
    queryset = Relation.objects.none()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Relation.objects.none()
        qs = Relation.objects.select_related("supplier", "customer", "segment__chain").order_by("id")
        if may(user, "chain.view"):
            return qs
        mine = EnterpriseMember.objects.filter(user=user, active=True).values("enterprise_id")
        return qs.filter(customer_id__in=mine) | qs.filter(supplier_id__in=mine)

    @extend_schema(request=ChainRelationCreateSerializer, responses={201: ChainRelationSerializer})
    def create(self, request, *args, **kwargs):
        if not may(request.user, "chain.add_relation"):  # before reading the body
            raise exceptions.PermissionDenied(_("You may not record supply relations."))
        s = ChainRelationCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        r = services.relation_add(actor=request.user, **s.validated_data)
        return Response(ChainRelationSerializer(r).data, status=status.HTTP_201_CREATED)


add_action_endpoints(RelationViewSet, SUPPLY, response_serializer=ChainRelationSerializer,
                     noun=gettext_lazy("supply relation"), prefix="chain_relations")


class ChainImpactSerializer(serializers.Serializer):
    enterprise = serializers.CharField(help_text="Credit code of the firm that depends on it")
    name = serializers.CharField()
    depth = serializers.IntegerField(help_text="Supply steps from the firm asked about")
    via = serializers.CharField(help_text="The firm it is reached through")
    anchor = serializers.BooleanField(help_text="A leading firm's plant (链主)")


class ChainTargetSerializer(serializers.ModelSerializer):
    segment = serializers.PrimaryKeyRelatedField(queryset=Segment.objects.all(), required=False, allow_null=True)
    supplies = serializers.SlugRelatedField(slug_field="uscc", many=True, queryset=Enterprise.objects.all(),
                                            required=False)

    class Meta:
        model = Target
        fields = ["id", "number", "name", "region", "segment", "products", "supplies", "contacts", "origin",
                  "status", "created_at"]
        read_only_fields = ["number", "origin", "status", "created_at"]


class TargetViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The target library (firms outside the zone worth bringing in)."""

    serializer_class = ChainTargetSerializer
    queryset = Target.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Target.objects.none()
        return Target.objects.select_related("segment").prefetch_related("supplies").order_by("-id")

    def create(self, request, *args, **kwargs):
        if not may(request.user, "chain.add_target"):  # before reading the body
            raise exceptions.PermissionDenied(_("You may not add targets."))
        s = ChainTargetSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        t = services.target_add(actor=request.user, name=d["name"], region=d["region"], segment=d.get("segment"),
                                products=d.get("products", ""), supplies=d.get("supplies", []),
                                contacts=d.get("contacts", ""))
        return Response(ChainTargetSerializer(t).data, status=status.HTTP_201_CREATED)


class ChainCampaignSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "held_on", "team", "description"]


class CampaignViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChainCampaignSerializer
    queryset = Campaign.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Campaign.objects.none()
        return Campaign.objects.select_related("team").order_by("-held_on", "-id")


class ChainInvitationSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    target_name = serializers.CharField(source="target.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "campaign", "target", "target_name", "stage", "stage_since", "expected_investment",
                  "last_contact_on", "project"]


class InvitationViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations of the campaigns; filter with ``?campaign=<id>``."""

    serializer_class = ChainInvitationSerializer
    queryset = Invitation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Invitation.objects.none()
        qs = Invitation.objects.select_related("target", "project").order_by("campaign_id", "id")
        campaign = self.request.query_params.get("campaign")
        if campaign:
            from yingshang.core import inputs

            qs = qs.filter(campaign_id=inputs.object_id(campaign, "campaign"))
        return qs


add_action_endpoints(InvitationViewSet, CHAIN, response_serializer=ChainInvitationSerializer,
                     noun=gettext_lazy("invitation"), prefix="chain_invitations")


class ImpactViewSet(_Staff, viewsets.GenericViewSet):
    """Who depends on a firm downstream (by the firm's id), nearest first."""

    serializer_class = ChainImpactSerializer
    queryset = Enterprise.objects.none()
    pagination_class = None  # one firm's dependants, whole

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Enterprise.objects.none()
        return Enterprise.objects.all()

    @extend_schema(responses=ChainImpactSerializer(many=True))
    def retrieve(self, request, pk=None):
        firm = self.get_object()
        rows = selectors.impact(firm.pk)
        codes = dict(Enterprise.objects.filter(pk__in=[r["id"] for r in rows]).values_list("pk", "uscc"))
        data = [{"enterprise": codes.get(r["id"], ""), "name": r["name"], "depth": r["depth"], "via": r["via_name"],
                 "anchor": r["anchor"]} for r in rows]
        return Response(ChainImpactSerializer(data, many=True).data)


# --- 选址会商 and 要素保障调度 ---------------------------------------------------------------------------------------

class ChainSiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "area", "lng", "lat", "area_mu", "land_status", "planned_use"]


class ChainOpinionSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    site = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    conditions = serializers.ListField(source="condition_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Opinion
        fields = ["department", "view", "site", "text", "conditions", "given_on", "late"]


class ChainConsultationSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="number", read_only=True)
    sites = ChainSiteSerializer(many=True, read_only=True)
    opinions = ChainOpinionSerializer(many=True, read_only=True)
    chosen_site = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = ["id", "number", "project", "meets_on", "limit_days", "due_on", "status", "sites", "opinions",
                  "chosen_site", "conclusion", "concluded_on"]


class ConsultationViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Site consultations with their candidate sites, the departments' opinions and the conclusion."""

    serializer_class = ChainConsultationSerializer
    queryset = Consultation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self._staff():
            return Consultation.objects.none()
        return Consultation.objects.select_related("project").prefetch_related(
            "sites", "opinions__department", "opinions__consultation").order_by("-meets_on", "-id")


class ChainBalanceMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    need = serializers.DecimalField(max_digits=14, decimal_places=2)
    capacity = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    short = serializers.BooleanField()


class ChainBalanceRowSerializer(serializers.Serializer):
    area = serializers.CharField()
    factor = serializers.ChoiceField(choices=Factor.choices)
    first_short = serializers.DateField(allow_null=True, help_text="The first month with a shortfall")
    months = ChainBalanceMonthSerializer(many=True)


class FactorBalanceView(APIView):
    """The factor balance per area of the zone and factor, month by month (``?from=2027-01&months=24``)."""

    @extend_schema(responses=ChainBalanceRowSerializer(many=True))
    def get(self, request):
        from yingshang.core import inputs

        if not may(request.user, "chain.view"):
            raise exceptions.PermissionDenied(_("You may not see the factor balance."))
        start = inputs.month(request.query_params["from"], "from") if request.query_params.get("from") else None
        months = inputs.integer(request.query_params.get("months", 24), "months", min_value=1, max_value=60)
        rows = selectors.factor_balance(start=start, months=months)["rows"]
        return Response(ChainBalanceRowSerializer(rows, many=True).data)
