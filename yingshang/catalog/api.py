"""The catalogue over HTTP: the published items (public), applications and bundle applications (scoped as
the pages, one POST per action), ratings (one POST per action) and the events — writing only through the
services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from yingshang.core import roles
from yingshang.core.api import add_action_endpoints
from yingshang.directory.models import Enterprise

from . import selectors, services
from .actions import applications as TABLE
from .actions import ratings as RATINGS
from .models import Application, ApplicationEvent, Bundle, BundleApplication, Item, Rating, Score


class CatalogItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    basic_code = serializers.CharField()
    version = serializers.IntegerField(source="current.version")
    name = serializers.CharField(source="current.name")
    type = serializers.CharField(source="current.type.name")
    department = serializers.CharField(source="current.department.code")
    department_name = serializers.CharField(source="current.department.name")
    kind = serializers.CharField(source="current.kind")
    statutory_limit = serializers.IntegerField(source="current.statutory_limit")
    statutory_unit = serializers.CharField(source="current.statutory_unit")
    committed_limit = serializers.IntegerField(source="current.committed_limit")
    committed_unit = serializers.CharField(source="current.committed_unit")
    visits = serializers.IntegerField(source="current.visits")
    online = serializers.BooleanField(source="current.online")
    online_depth = serializers.IntegerField(source="current.online_depth", allow_null=True)
    commitment_allowed = serializers.BooleanField(source="current.commitment_allowed")
    tolerant = serializers.BooleanField(source="current.tolerant")
    form_fields = serializers.JSONField(source="current.form_fields")


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The published catalogue, open to everyone (as the public guide)."""

    serializer_class = CatalogItemSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z-]{1,40}"

    def get_queryset(self):
        return selectors.guide_search()


class ApplicationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="version.name", read_only=True)
    version = serializers.IntegerField(source="version.version", read_only=True)
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    bundle_application = serializers.CharField(source="bundle_application.number", read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = ["id", "number", "item", "item_name", "version", "enterprise", "department", "channel", "status",
                  "created_at", "commitment", "correction", "missing", "missing_due", "accepted_at", "due_at",
                  "statutory_due_at", "paused_workdays", "decided_at", "licence_number", "licence_valid_until",
                  "reason", "delivery", "tracking_number", "visits", "form_data", "green_channel",
                  "bundle_application", "revoked_reason"]


class ApplyRequest(serializers.Serializer):
    item = serializers.CharField(max_length=60, help_text="the item's implementation code")
    enterprise = serializers.CharField(max_length=30, help_text="unified social credit code of the applying firm")
    channel = serializers.ChoiceField(choices=Application.Channel.choices, default=Application.Channel.ONLINE)
    commitment = serializers.BooleanField(default=False)
    visits = serializers.IntegerField(min_value=0, max_value=20, default=0)
    form_data = serializers.DictField(child=serializers.CharField(max_length=500, allow_blank=True), default=dict)


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["at", "actor", "action", "label", "from_status", "to_status", "note", "data"]


class StaffApplicationEventSerializer(ApplicationEventSerializer):
    class Meta(ApplicationEventSerializer.Meta):
        fields = ApplicationEventSerializer.Meta.fields + ["internal_note", "public"]


def _fresh(model, obj, *related):
    """The record just written, as the answer shows it (not through a list's filters)."""
    return model.objects.select_related(*related).get(pk=obj.pk)


def _may_apply(user) -> None:
    """A firm's staff apply; so do the window and the departments' staff for a firm (asked before the body is
    read; the service decides for which firm and item)."""
    from yingshang.directory.selectors import enterprise_ids_of_member

    if not (enterprise_ids_of_member(user) or roles.has_role(user, roles.HANDLER, roles.DEPT_HEAD, roles.ADMIN)):
        raise exceptions.PermissionDenied(_("You may not apply."))


def _enterprise(uscc: str) -> Enterprise:
    ent = Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first()
    if ent is None:
        raise exceptions.ValidationError({"enterprise": [_("No enterprise has this credit code.")]})
    return ent


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        qs = selectors.applications_visible_to(self.request.user).select_related(
            "version", "item", "enterprise", "department", "bundle_application")
        st = self.request.query_params.get("status")
        if st:
            qs = qs.filter(status=st)
        return qs.order_by("-created_at", "-id")

    @extend_schema(request=ApplyRequest, responses={201: ApplicationSerializer})
    def create(self, request):
        _may_apply(request.user)
        s = ApplyRequest(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        item = Item.objects.select_related("current").filter(code=d["item"]).first()
        if item is None:
            raise exceptions.ValidationError({"item": [_("No item has this code.")]})
        a = services.application_submit(actor=request.user, item=item, enterprise=_enterprise(d["enterprise"]),
                                        channel=d["channel"], commitment=d["commitment"], visits=d["visits"],
                                        form_data=d["form_data"])
        return Response(ApplicationSerializer(_fresh(Application, a, "version", "item", "enterprise", "department",
                                                     "bundle_application")).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=StaffApplicationEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        a = self.get_object()
        cls = StaffApplicationEventSerializer if roles.is_staff_member(request.user) else ApplicationEventSerializer
        return Response(cls(selectors.application_events(request.user, a), many=True).data)


add_action_endpoints(ApplicationViewSet, TABLE, response_serializer=ApplicationSerializer, noun=gettext_lazy("application"),
                     prefix="applications")


class BundleSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = Bundle
        fields = ["code", "name", "description", "committed_workdays", "items"]

    def get_items(self, b) -> list[str]:
        return [m.item.code for m in b.members.all()]


class BundleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BundleSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z-]{1,40}"

    def get_queryset(self):
        return selectors.bundles_offered()


class BundleApplicationSerializer(serializers.ModelSerializer):
    bundle = serializers.CharField(source="bundle.code", read_only=True)
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    applications = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = BundleApplication
        fields = ["id", "number", "bundle", "enterprise", "channel", "status", "stage", "form_data", "created_at",
                  "due_at", "done_at", "work_hours", "applications"]


class BundleApplyRequest(serializers.Serializer):
    bundle = serializers.CharField(max_length=40)
    enterprise = serializers.CharField(max_length=30)
    channel = serializers.ChoiceField(choices=Application.Channel.choices, default=Application.Channel.ONLINE)
    visits = serializers.IntegerField(min_value=0, max_value=20, default=0)
    form_data = serializers.DictField(child=serializers.CharField(max_length=500, allow_blank=True), default=dict)


class BundleApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BundleApplicationSerializer

    def get_queryset(self):
        return selectors.bundle_applications_visible_to(self.request.user).select_related(
            "bundle", "enterprise").prefetch_related("applications").order_by("-created_at", "-id")

    @extend_schema(request=BundleApplyRequest, responses={201: BundleApplicationSerializer})
    def create(self, request):
        _may_apply(request.user)
        s = BundleApplyRequest(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        bundle = Bundle.objects.filter(code=d["bundle"], active=True).first()
        if bundle is None:
            raise exceptions.ValidationError({"bundle": [_("No bundle has this code.")]})
        ba = services.bundle_apply(actor=request.user, bundle=bundle, enterprise=_enterprise(d["enterprise"]),
                                   channel=d["channel"], visits=d["visits"], form_data=d["form_data"])
        return Response(BundleApplicationSerializer(_fresh(BundleApplication, ba, "bundle", "enterprise")).data,
                        status=status.HTTP_201_CREATED)


class RatingSerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="application.number", read_only=True, allow_null=True)
    bundle_application = serializers.CharField(source="bundle_application.number", read_only=True, allow_null=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "application", "bundle_application", "department", "overall", "efficiency", "attitude",
                  "accuracy", "comment", "real_name", "status", "at", "callback_due", "called_back_at", "rectify_due",
                  "replied_at", "reply", "previous"]


class RateRequest(serializers.Serializer):
    application = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    bundle_application = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    overall = serializers.ChoiceField(choices=Score.choices)
    efficiency = serializers.ChoiceField(choices=Score.choices)
    attitude = serializers.ChoiceField(choices=Score.choices)
    accuracy = serializers.ChoiceField(choices=Score.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    real_name = serializers.BooleanField(default=True)


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RatingSerializer

    def get_queryset(self):
        return selectors.ratings_visible_to(self.request.user).select_related(
            "application", "bundle_application", "department", "enterprise").order_by("-at", "-id")

    @extend_schema(request=RateRequest, responses={201: RatingSerializer})
    def create(self, request):
        from yingshang.directory.selectors import enterprise_ids_of_member

        if not enterprise_ids_of_member(request.user):  # only a firm's staff rate: asked before the body is read
            raise exceptions.PermissionDenied(_("Only the firm that applied rates it."))
        s = RateRequest(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        subject = {}
        if d.get("application"):
            subject["application"] = get_object_or_404(selectors.applications_visible_to(request.user),
                                                       pk=d.pop("application"))
        if d.get("bundle_application"):
            subject["bundle_application"] = get_object_or_404(
                selectors.bundle_applications_visible_to(request.user), pk=d.pop("bundle_application"))
        d.pop("application", None), d.pop("bundle_application", None)
        r = services.rating_submit(actor=request.user, **subject, **d)
        return Response(RatingSerializer(_fresh(Rating, r, "application", "bundle_application", "department")).data,
                        status=status.HTTP_201_CREATED)


add_action_endpoints(RatingViewSet, RATINGS, response_serializer=RatingSerializer, noun=gettext_lazy("rating"),
                     prefix="ratings")
