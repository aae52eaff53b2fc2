"""The API of the release area: the programme's indicators as JSON, and as DHIS2
aggregate data (``dataValueSets``). Same selectors and rules as the donor's report."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mboa.core.api_permissions import RulePermission

from . import dhis2, selectors
from .forms import default_period
from .indicators import Filters


class IndicatorQuery(serializers.Serializer):
    # "from" is a Python keyword: the fields are renamed below.
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    region = serializers.CharField(required=False, allow_blank=True, max_length=4)

    def to_internal_value(self, data):
        renamed = {"date_from": data.get("from"), "date_to": data.get("to"), "region": data.get("region", "")}
        return super().to_internal_value({k: v for k, v in renamed.items() if v is not None})

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"to": "The period ends before it begins."})
        return attrs

    def filters(self) -> Filters:
        date_from, date_to = default_period()
        data = self.validated_data
        return Filters(data.get("date_from") or date_from, data.get("date_to") or date_to, data.get("region") or "")


class IndicatorsView(APIView):
    """Each registered indicator for the period and region: stable code, label, value (a
    count, a rate in [0, 1] or days), and numerator and denominator for rates."""

    permission_classes = [RulePermission]
    rules = {"get": "statistics.view_indicators"}

    @extend_schema(parameters=[OpenApiParameter("from", dt.date), OpenApiParameter("to", dt.date),
                               OpenApiParameter("region", str)], responses={200: dict})
    def get(self, request):
        query = IndicatorQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.filters()
        values = selectors.indicator_values_for_user(user=request.user, filters=filters)
        return Response({
            "from": filters.date_from.isoformat(), "to": filters.date_to.isoformat(), "region": filters.region,
            "indicators": [{"code": i.code, "label": str(i.label), "unit": i.unit, "group": str(i.group),
                            "region_basis": str(i.region_basis), "value": v.value, "numerator": v.numerator,
                            "denominator": v.denominator} for i, v in values],
        })


class Dhis2View(APIView):
    """The indicators as a DHIS2 ``dataValueSets`` payload, for ``?period=202401,2024Q1``
    or for the whole periods of ``?from=&to=&period_type=monthly|quarterly|yearly``."""

    permission_classes = [RulePermission]
    rules = {"get": "statistics.view_indicators"}

    @extend_schema(parameters=[OpenApiParameter("period", str), OpenApiParameter("from", dt.date),
                               OpenApiParameter("to", dt.date), OpenApiParameter("period_type", str)],
                   responses={200: dict})
    def get(self, request):
        raw = request.query_params.get("period", "")
        if raw:
            periods = [p.strip() for p in raw.split(",") if p.strip()]
            for period in periods:
                dhis2.period_dates(period)  # a wrong period is a 400 naming it
        else:
            query = IndicatorQuery(data=request.query_params)
            query.is_valid(raise_exception=True)
            filters = query.filters()
            periods = dhis2.periods_between(filters.date_from, filters.date_to,
                                            request.query_params.get("period_type", "monthly"))
        return Response(selectors.dhis2_payload_for_user(user=request.user, periods=periods))

