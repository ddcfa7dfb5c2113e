"""Demo stewardship (issue 15): Chapel Orchard, leased to Yarlington since 2018, pays Kingsmere CLT £650 a year in
ground rent. Yarlington paid every year but this one, so the ledger shows one arrear; its annual
return is done (with the signed lease as evidence of the covenant), its insurance is due and its
local-occupancy return is overdue. Safe to repeat."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Umbrella, User
from documents.models import Document
from schemes.calculations import add_years
from schemes.models import Lease
from schemes.stewardship.models import CheckKind, CovenantCheck, GroundRentPayment


def load_stewardship_demo() -> None:
    umbrella = Umbrella.objects.get(slug="wessex")
    lease = Lease.objects.get(umbrella=umbrella, scheme__name="Chapel Orchard, Kingsmere")
    if GroundRentPayment.objects.filter(lease=lease).exists():
        return
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    today = timezone.localdate()
    # Each year's rent falls due on 1 June; paid a fortnight later, except the latest year's.
    due = [add_years(lease.start_on, n) for n in range(1, 126) if add_years(lease.start_on, n) <= today]
    for on in due[:-1]:
        GroundRentPayment.objects.create(
            umbrella=umbrella, lease=lease, paid_on=on + timedelta(days=14), amount=Decimal("650.00"),
            reference=f"Yarlington BACS {on.year}", recorded_by=staff,
        )  # fmt: skip
    lease_paper = Document.objects.filter(umbrella=umbrella, subject_id=lease.scheme.public_id, type="lease").first()
    year = today.year
    CovenantCheck.objects.create(
        umbrella=umbrella, lease=lease, kind=CheckKind.ANNUAL_RETURN, title="Yarlington's annual return",
        due_on=date(year, 3, 31), done_on=date(year, 3, 20), done_by=staff,
        evidence="Return received by email from Yarlington's asset team; homes in good repair.",
        evidence_document=lease_paper,
    )  # fmt: skip
    CovenantCheck.objects.create(
        umbrella=umbrella, lease=lease, kind=CheckKind.ANNUAL_RETURN, title="Yarlington's annual return",
        due_on=date(year + 1, 3, 31),
    )  # fmt: skip
    CovenantCheck.objects.create(
        umbrella=umbrella, lease=lease, kind=CheckKind.INSURANCE, title="Buildings insurance certificate",
        due_on=today + timedelta(days=40),
    )  # fmt: skip
    CovenantCheck.objects.create(
        umbrella=umbrella, lease=lease, kind=CheckKind.LOCAL_OCCUPANCY, title="Who lives in the 10 homes",
        due_on=today - timedelta(days=21),
    )  # fmt: skip
