"""Read-only API of the directory, scoped exactly as the pages."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from yingshang.core.api import requires_perm
from yingshang.core.formatting import mask_phone

from . import selectors
from .models import Department, Enterprise


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "kind", "phone", "description"]


class EnterpriseSerializer(serializers.ModelSerializer):
    group = serializers.StringRelatedField(allow_null=True)
    bureau = serializers.StringRelatedField(allow_null=True)
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc", "legal_representative", "contact_phone", "address", "industry", "size",
                  "registered_on", "registered_capital", "status", "group", "bureau", "is_key", "is_returned"]

    def get_contact_phone(self, obj) -> str:
        if obj.pk in self.context["contacts_visible"]:
            return obj.contact_phone
        return mask_phone(obj.contact_phone)


class EnterpriseFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="name, credit code or legal representative contains")
    uscc = filters.CharFilter(method="by_uscc", label="unified social credit code")

    class Meta:
        model = Enterprise
        fields = ["industry", "status", "group", "bureau", "is_key", "is_returned"]

    def search(self, qs, name, value):
        return qs.filter(pk__in=selectors.enterprise_search(self.request.user, q=value).values("pk"))

    def by_uscc(self, qs, name, value):
        return qs.filter(uscc=value.strip().upper())


@extend_schema_view(list=extend_schema(summary="Enterprises visible to the caller"),
                    retrieve=extend_schema(summary="One enterprise"))
class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return selectors.enterprises_visible_to(self.request.user).select_related("group", "bureau").order_by("name", "id")

    def get_serializer_context(self):
        """Whose phone numbers the caller sees unmasked, worked out once per request, not per row."""
        return {**super().get_serializer_context(),
                "contacts_visible": selectors.enterprises_with_visible_contacts(self.request.user)}


@extend_schema_view(list=extend_schema(summary="Departments and service bureaus"),
                    retrieve=extend_schema(summary="One department"))
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    filterset_fields = ["kind"]
    permission_classes = [IsAuthenticated, requires_perm("directory.view_departments")]

    def get_queryset(self):
        return selectors.department_search()
