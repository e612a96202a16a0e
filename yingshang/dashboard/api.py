"""The cockpit's API: every figure for a period, and one figure with its monthly series. Leaders, the
supervision office and administrators only; periods are whole days in Asia/Shanghai, both ends included."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from yingshang.core.api import requires_perm

from . import figures as F_
from . import params, selectors

QUERY = [
    OpenApiParameter("from", str, description="first day, YYYY-MM-DD (with to)"),
    OpenApiParameter("to", str, description="last day, YYYY-MM-DD, included (with from)"),
    OpenApiParameter("preset", str, enum=["month", "quarter", "year", "last_month", "week"],
                     description="a period relative to today, instead of from and to (default: this month)"),
    OpenApiParameter("group", int, description="an enterprise group's id"),
    OpenApiParameter("bureau", int, description="a service bureau's id"),
]


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True, coerce_to_string=False,
                                     help_text="null when the figure has no records to count or is not split by "
                                               "the group or bureau asked for")
    unit = serializers.CharField()
    previous = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True, coerce_to_string=False,
                                        help_text="the period just before (环比)")
    year_before = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True,
                                           coerce_to_string=False, help_text="the same period a year earlier (同比)")
    amount = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True, coerce_to_string=False,
                                      help_text="the amount beside a count (investment, in amount_unit)")
    amount_unit = serializers.CharField()
    parts = serializers.DictField(child=serializers.IntegerField(), help_text="a distribution's parts")
    applies = serializers.BooleanField(help_text="false: not split by the group or bureau asked for")
    light = serializers.ChoiceField(choices=F_.LIGHTS, help_text="against target and warning")
    definition = serializers.CharField()
    owner = serializers.CharField()
    drill_url = serializers.CharField(help_text="the records behind the figure")


class PointSerializer(serializers.Serializer):
    month = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True, coerce_to_string=False)


class FigureDetailSerializer(FigureSerializer):
    series = PointSerializer(many=True)


def _figure(a: dict) -> dict:
    return {k: a[k] for k in FigureSerializer().fields if k in a}


class FiguresView(APIView):
    permission_classes = [requires_perm("dashboard.view_cockpit")]

    @extend_schema(parameters=QUERY, responses=FigureSerializer(many=True), summary="Every figure for a period")
    def get(self, request):
        q = params.parse(request.query_params)
        answers = selectors.figure_answers(q.period, q.dims)
        return Response(FigureSerializer([_figure(a) for a in answers], many=True).data)


class FigureView(APIView):
    permission_classes = [requires_perm("dashboard.view_cockpit")]

    @extend_schema(parameters=QUERY, responses=FigureDetailSerializer,
                   summary="One figure for a period, with its monthly series")
    def get(self, request, key: str):
        if key not in F_.BY_KEY:
            raise exceptions.NotFound()
        q = params.parse(request.query_params)
        a = selectors.figure_answer(key, q.period, q.dims)
        return Response(FigureDetailSerializer({**_figure(a), "series": a["series"]}).data)
