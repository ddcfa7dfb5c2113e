from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partners and agreements"

    def ready(self):
        from django.urls import reverse

        from documents.models import DocumentType, SubjectKind
        from documents.subjects import Subject, register
        from partnerships.organisations.selectors import agreement_get
        from partnerships.programmes.selectors import programme_get

        register(
            Subject(
                kind=SubjectKind.AGREEMENT,
                get=lambda access, public_id: agreement_get(access=access, public_id=public_id),
                url=lambda agreement, slug: reverse(
                    "ha_detail", kwargs={"umbrella_slug": slug, "public_id": agreement.housing_association.public_id}
                ),
                usual_types=(DocumentType.COLLABORATION_AGREEMENT,),
                sharable=True,
            )
        )
        register(
            Subject(
                kind=SubjectKind.PROGRAMME,
                get=lambda access, public_id: programme_get(access=access, public_id=public_id),
                url=lambda programme, slug: reverse(
                    "programme_detail", kwargs={"umbrella_slug": slug, "public_id": programme.public_id}
                ),
                usual_types=(DocumentType.MOU,),
            )
        )
