from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Sites and schemes"

    def ready(self):
        from django.urls import reverse

        from documents.models import DocumentType, SubjectKind
        from documents.subjects import Subject, register
        from schemes.selectors import scheme_stage_get

        register(
            Subject(
                kind=SubjectKind.SCHEME,
                get=lambda access, public_id: scheme_stage_get(access=access, public_id=public_id),
                url=lambda scheme, slug: reverse(
                    "scheme_detail", kwargs={"umbrella_slug": slug, "public_id": scheme.public_id}
                ),
                usual_types=(
                    DocumentType.LEASE,
                    DocumentType.S106,
                    DocumentType.NOMINATION_AGREEMENT,
                    DocumentType.PLANNING_DECISION,
                    DocumentType.OPTION_AGREEMENT,
                ),
                sharable=True,
            )
        )
