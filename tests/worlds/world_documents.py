"""documents/ records of one mirrored tenant (see tests/worlds/world.py): a scheme's signed lease,
shared with the HA, in two versions; a CLT's needs-survey report, not shared (volunteers see it,
the HA team does not); an agreement's and a programme's paper. Each file is a real PDF with the
canary in its text."""

from datetime import date

from accounts.access import access_for
from core.pdf import render_pdf
from core.uploads import PDF, CheckedFile
from documents import services
from documents.models import DocumentType, SubjectKind, VersionStatus
from documents.subjects import SUBJECTS


def pdf_of(text: str) -> CheckedFile:
    return CheckedFile(content=render_pdf(f"<p>{text}</p>"), type=PDF, original_name="scan.pdf")


def extend(t) -> dict:
    c = t.canary
    access = access_for(user=t.users["staff"], umbrella_slug=t.umbrella.slug)
    made = {}
    for key, kind, record, type, title, shared in (
        ("document", SubjectKind.SCHEME, t.objects["scheme"], DocumentType.LEASE, f"Lease {c}", True),
        ("clt_document", SubjectKind.CLT, t.objects["clt"], DocumentType.NEEDS_SURVEY_REPORT, f"Survey report {c}", False),
        ("agreement_document", SubjectKind.AGREEMENT, t.objects["agreement"], DocumentType.COLLABORATION_AGREEMENT, f"Agreement paper {c}", True),
        ("programme_document", SubjectKind.PROGRAMME, t.objects["programme"], DocumentType.MOU, f"MOU {c}", False),
    ):  # fmt: skip
        made[key] = services.document_create(
            access=access,
            subject=SUBJECTS[kind],
            record=record,
            type=type,
            title=title,
            shared_with_ha=shared,
            file=pdf_of(f"{title} draft"),
            status=VersionStatus.DRAFT,
            signed_on=None,
        )
    version = services.version_add(
        access=access,
        document=made["document"],
        file=pdf_of(f"Lease {c} as signed"),
        status=VersionStatus.SIGNED,
        signed_on=date(2025, 4, 1),
        note=f"Signed copy {c}",
    )
    made["document_version"] = version
    return made
