"""How the API picks what to answer in (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS)."""

from rest_framework.negotiation import BaseContentNegotiation


class JsonOnly(BaseContentNegotiation):
    """The API answers JSON whatever the request's Accept header or ?format= says (never 406,
    nor a 404 for a format it does not have). The schema view keeps DRF's own negotiation, for
    its YAML and JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
