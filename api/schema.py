"""The OpenAPI description's parts drf-spectacular cannot see for itself: the bearer token, and
the JSON errors every operation may answer (api/errors.py)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, in plain words."},
        "errors": {
            "type": "object",
            "description": "For a malformed query: the messages of each parameter.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
TENANT_ERRORS = {
    "401": "No token, or one that does not work here (wrong, revoked, past its last day, or another umbrella's).",
    "403": "The token's person's role may not use this (a CLT volunteer), or must set up two-factor first.",
    "404": "No such record, or not the person's to see: the same answer.",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A person's API token, made on their profile page.",
        }


def add_error_responses(result, generator, request, public):
    """Every operation under an umbrella may answer 401, 403 and 404; one with query parameters,
    400; any, 405 to a method other than GET, and 429 when asked too often."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("405", {"description": "Any method but GET: the API only reads.", "content": ref})
            responses.setdefault("429", {"description": "Too many requests: wait the seconds Retry-After gives.",
                                         "content": ref, "headers": RETRY_AFTER})  # fmt: skip
            if "{umbrella_slug}" in path:
                for code, description in TENANT_ERRORS.items():
                    responses.setdefault(code, {"description": description, "content": ref})
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", {"description": "A malformed query: see errors.", "content": ref})
                if "{umbrella_slug}" in path:
                    responses["404"]["description"] += " Or a page past the last."
    return result
