from django.apps import AppConfig


class CltsConfig(AppConfig):
    name = "clts"
    verbose_name = "Community land trusts"

    def ready(self):
        from django.urls import reverse

        from clts.selectors import clt_get
        from documents.models import DocumentType, SubjectKind
        from documents.subjects import Subject, register

        register(
            Subject(
                kind=SubjectKind.CLT,
                get=lambda access, public_id: clt_get(access=access, public_id=public_id),
                url=lambda clt, slug: reverse("clt_detail", kwargs={"umbrella_slug": slug, "public_id": clt.public_id}),
                usual_types=(DocumentType.NEEDS_SURVEY_REPORT, DocumentType.OPTION_AGREEMENT),
            )
        )
