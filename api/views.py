"""The read-only API, version 1 (README "The API"). Each view reads through the same selectors as
the person's pages, with the access built from their token (api.base.TenantAPIView), so a
token sees exactly what its person's pages show: staff the whole umbrella, an HA team the
schemes its HA partners on and its issued statements. Anything else answers 404."""

from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.access import second_check
from api.base import Pages, TenantAPIView
from api.serializers import (
    SchemeDetailSerializer,
    SchemeSerializer,
    StageSerializer,
    StatementDetailSerializer,
    StatementSerializer,
    TenureSerializer,
)
from partnerships.organisations.selectors import housing_association_list
from partnerships.recoupment.models import StatementStatus
from partnerships.recoupment.selectors import statement_get, statement_list, statement_pdf_path
from schemes.appraisals.calculations import appraise
from schemes.appraisals.selectors import agreed_appraisal
from schemes.codelists import STAGES, TENURES
from schemes.selectors import lease_for, milestone_list, scheme_get, scheme_list, stage_history
from schemes.stages import Stage


class _Public(APIView):
    """Needs no token: nothing of any umbrella's."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head"]


class SchemaView(SpectacularAPIView):
    """The OpenAPI description, with DRF's own negotiation: YAML, or JSON with ?format=json or
    Accept: application/json. Its errors are JSON whatever was asked for."""

    content_negotiation_class = DefaultContentNegotiation
    http_method_names = ["get", "head"]

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        if isinstance(exc, Http404):  # a ?format= it does not know
            exc = exceptions.NotFound("The description comes as YAML, or as JSON with ?format=json.")
        return super().handle_exception(exc)


class RootSerializer(serializers.Serializer):
    schema = serializers.URLField()
    tenures = serializers.URLField()
    stages = serializers.URLField()
    umbrella = serializers.CharField(help_text="The template of an umbrella's API root.")


class ApiRootView(_Public):
    @extend_schema(
        operation_id="root", summary="Where the API's parts are", responses=RootSerializer, tags=["code lists"]
    )
    def get(self, request):
        umbrella = reverse("api_umbrella", kwargs={"umbrella_slug": "UMBRELLA"}, request=request)
        return Response(
            {
                "schema": reverse("api_schema", request=request),
                "tenures": reverse("api_tenures", request=request),
                "stages": reverse("api_stages", request=request),
                "umbrella": umbrella.replace("UMBRELLA", "{umbrella_slug}"),
            }
        )


class TenureListView(_Public):
    @extend_schema(
        summary="Tenure codes",
        operation_id="tenures",
        description="Each tenure with digital-land's tenure-type code and its CORE code.",
        responses=TenureSerializer(many=True),
        tags=["code lists"],
    )
    def get(self, request):
        return Response(TenureSerializer(TENURES, many=True).data)


class StageListView(_Public):
    @extend_schema(
        operation_id="stages", summary="Stage codes", responses=StageSerializer(many=True), tags=["code lists"]
    )
    def get(self, request):
        return Response(StageSerializer(STAGES, many=True).data)


# --- an umbrella's data, with a token --------------------------------------------------------


class UmbrellaSerializer(serializers.Serializer):
    umbrella = serializers.CharField()
    you = serializers.CharField(help_text="The token's person.")
    role = serializers.CharField(help_text="admin, staff or ha_team.")
    housing_associations = serializers.ListField(child=serializers.CharField(), help_text="An HA team's HA.")
    token_works_until = serializers.DateField(help_text="The token's last day: make a new one before then.")
    schemes = serializers.URLField()
    statements = serializers.URLField()


class UmbrellaView(TenantAPIView):
    permissions = {"GET": "api.use"}

    @extend_schema(
        operation_id="umbrella",
        summary="Who the token is, and where to start",
        responses=UmbrellaSerializer,
        tags=["umbrella"],
    )
    def get(self, request, umbrella_slug):
        slug = {"umbrella_slug": umbrella_slug}
        access = self.access
        has = [ha.name for ha in housing_association_list(access=access)] if access.is_ha_team else []
        return Response(
            {
                "umbrella": self.umbrella.name,
                "you": request.user.display_name,
                "role": self.access.role,
                "housing_associations": has,
                "token_works_until": request.auth.expires_on,
                "schemes": reverse("api_scheme_list", kwargs=slug, request=request),
                "statements": reverse("api_statement_list", kwargs=slug, request=request),
            }
        )


class SchemeQuery(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, help_text="Only schemes at this stage.")


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="From 1.", required=False),
    OpenApiParameter("page_size", int, description="1 to 200; 50 unless asked.", required=False),
]


def page_of(serializer_class):
    """The schema of a page of these (api.base.Pages)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(help_text="How many in all, on every page."),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


class _PagedList(TenantAPIView):
    """A list, a page at a time (api.base.Pages), filtered by a query checked first (400)."""

    query_class: type[serializers.Serializer]
    serializer_class: type[serializers.Serializer]

    def rows(self, query: dict):
        raise NotImplementedError

    def get(self, request, umbrella_slug):
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        pages = Pages()
        page = pages.paginate_queryset(self.rows(query.validated_data), request, view=self)
        context = {"request": request, "umbrella_slug": umbrella_slug}
        return pages.get_paginated_response(self.serializer_class(page, many=True, context=context).data)


@extend_schema_view(
    get=extend_schema(
        summary="Schemes",
        operation_id="schemes_list",
        description="The schemes the person's pages list: staff every scheme of the umbrella, an HA team "
        "those its HA partners on. By name.",
        parameters=[SchemeQuery, *PAGE_PARAMETERS],
        responses=page_of(SchemeSerializer),
        tags=["schemes"],
    )
)
class SchemeListView(_PagedList):
    permissions = {"GET": "schemes.view"}
    query_class, serializer_class = SchemeQuery, SchemeSerializer

    def rows(self, query):
        return scheme_list(access=self.access, stage=query.get("stage", ""))


class SchemeDetailView(TenantAPIView):
    permissions = {"GET": "schemes.view"}

    @extend_schema(
        summary="A scheme",
        operation_id="scheme",
        description="With its bedrooms, milestones (development milestones and tasks its page shows), lease "
        "terms, latest agreed appraisal and stage moves.",
        responses=SchemeDetailSerializer,
        tags=["schemes"],
    )
    def get(self, request, umbrella_slug, public_id):
        access, today = self.access, timezone.localdate()
        scheme = scheme_get(access=access, public_id=public_id)
        appraisal = agreed_appraisal(access=access, scheme=scheme)
        context = {
            "request": request,
            "umbrella_slug": umbrella_slug,
            "today": today,
            "milestones": list(milestone_list(access=access, scheme=scheme, today=today).select_related("owner")),
            "lease": lease_for(access=access, scheme=scheme),
            "appraisal": {"appraisal": appraisal, "result": appraise(appraisal)} if appraisal else None,
            "history": list(stage_history(access=access, scheme=scheme).order_by("changed_at", "id")),
        }
        return Response(SchemeDetailSerializer(scheme, context=context).data)


class StatementQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=StatementStatus.choices, required=False, help_text="An HA team sees only issued and paid ones."
    )


@extend_schema_view(
    get=extend_schema(
        summary="Recoupment statements",
        operation_id="statements_list",
        description="Staff see every statement; an HA team its own HA's, once issued. Newest period first.",
        parameters=[StatementQuery, *PAGE_PARAMETERS],
        responses=page_of(StatementSerializer),
        tags=["statements"],
    )
)
class StatementListView(_PagedList):
    permissions = {"GET": "statements.view"}
    query_class, serializer_class = StatementQuery, StatementSerializer

    def rows(self, query):
        return statement_list(access=self.access, status=query.get("status", ""))


class StatementPdfView(TenantAPIView):
    permissions = {"GET": "statements.view"}

    @extend_schema(
        summary="A recoupment statement's PDF",
        operation_id="statement_pdf",
        description="The PDF as drawn (an HA team's once issued). 404 while it is not drawn yet.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=["statements"],
    )
    def get(self, request, umbrella_slug, public_id):
        statement = statement_get(access=self.access, public_id=public_id)
        second_check(statement.umbrella_id == self.access.umbrella.pk)  # the second check on a download
        path = statement_pdf_path(statement)
        if path is None:
            raise exceptions.NotFound("This statement's PDF is not drawn yet: try again shortly.")
        return FileResponse(
            path.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{statement.reference}.pdf"
        )


class StatementDetailView(TenantAPIView):
    permissions = {"GET": "statements.view"}

    @extend_schema(
        summary="A recoupment statement",
        operation_id="statement",
        description="With the schemes it bills and their cost lines, as frozen when it was drawn.",
        responses=StatementDetailSerializer,
        tags=["statements"],
    )
    def get(self, request, umbrella_slug, public_id):
        statement = statement_get(access=self.access, public_id=public_id)
        context = {"request": request, "umbrella_slug": umbrella_slug}
        return Response(StatementDetailSerializer(statement, context=context).data)
