"""Demo papers (issue 15): Orchard Close's signed lease and s106, and Chapel Orchard's lease, as
staff would upload them (real PDFs, through the documents service). Safe to repeat."""

from datetime import date

from accounts.access import access_for
from accounts.models import Umbrella, User
from core.pdf import render_pdf
from core.uploads import PDF, CheckedFile
from documents import services
from documents.models import Document, DocumentType, SubjectKind, VersionStatus
from documents.subjects import SUBJECTS
from schemes.models import Scheme


def _pdf(title: str, lines: list[str]) -> CheckedFile:
    body = "".join(f"<p>{line}</p>" for line in lines)
    html = f"<html><body style='font-family: serif'><h1>{title}</h1>{body}</body></html>"
    return CheckedFile(content=render_pdf(html), type=PDF, original_name=f"{title}.pdf")


def load_documents_demo() -> None:
    umbrella = Umbrella.objects.get(slug="wessex")
    if Document.objects.filter(umbrella=umbrella).exists():
        return
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    access = access_for(user=staff, umbrella_slug=umbrella.slug)
    scheme = SUBJECTS[SubjectKind.SCHEME]
    orchard = Scheme.objects.get(umbrella=umbrella, name="Orchard Close, Ashcombe Magna")
    chapel = Scheme.objects.get(umbrella=umbrella, name="Chapel Orchard, Kingsmere")
    papers = [
        (orchard, DocumentType.LEASE, "Lease of Orchard Close (125 years)", date(2025, 1, 6), True,
         ["Ashcombe Magna Community Land Trust to Aster Group", "Term: 125 years from 6 January 2025",
          "Premium: £1. Ground rent: £1,200 a year.", "Option to buy back the lease from 6 January 2045."]),
        (orchard, DocumentType.S106, "Section 106 agreement, Orchard Close", date(2024, 6, 12), True,
         ["Somerset Council, Ashcombe Magna CLT and Aster Group",
          "The homes are let at affordable rents to people with a local connection to Ashcombe Magna."]),
        (chapel, DocumentType.LEASE, "Lease of Chapel Orchard (125 years)", date(2018, 6, 1), True,
         ["Kingsmere CLT to Yarlington", "Term: 125 years from 1 June 2018"]),
    ]  # fmt: skip
    for record, type, title, signed_on, shared, lines in papers:
        document = services.document_create(
            access=access,
            subject=scheme,
            record=record,
            type=type,
            title=title,
            shared_with_ha=shared,
            file=_pdf(f"{title} (draft)", lines),
            status=VersionStatus.DRAFT,
            signed_on=None,
            note="Draft from the solicitors",
        )
        services.version_add(
            access=access,
            document=document,
            file=_pdf(title, [*lines, f"Signed on {signed_on:%-d %B %Y}."]),
            status=VersionStatus.SIGNED,
            signed_on=signed_on,
            note="Signed and dated copy",
        )
