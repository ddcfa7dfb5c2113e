"""What the API shows of each record: read-only, and no more than the person's pages show them.

Money is a string of pounds with two decimals ("1080000.00"), dates are ISO 8601 dates, times
ISO 8601 with their offset. Ids are the records' public ids (UUIDs), as in the pages' URLs.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from partnerships.recoupment.selectors import statement_fee_basis, statement_pdf_path, statement_scheme_rows
from schemes.codelists import DIGITAL_LAND_NAMES, TENURES, stage_code

MONEY = {"max_digits": 14, "decimal_places": 2}
#: A sum worked out from stored ones (an appraisal's totals) may run past a stored sum's digits.
WORKED = {"max_digits": None, "decimal_places": 2}


def _api_url(context, name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs, request=context.get("request"))


# --- code lists ------------------------------------------------------------------------------


class StageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Fieldgate's stage code.")
    name = serializers.CharField()
    position = serializers.IntegerField(
        allow_null=True, help_text="Its place on the process, 1 to 13; null for on hold and withdrawn."
    )
    phase = serializers.CharField(allow_null=True, help_text="group, site, plan, build or live.")
    phase_name = serializers.CharField(allow_null=True)


class TenureSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Fieldgate's tenure code.")
    name = serializers.CharField()
    digital_land_tenure_type = serializers.CharField(
        source="digital_land", help_text="digital-land's planning-application tenure-type code."
    )
    digital_land_tenure_type_name = serializers.SerializerMethodField()
    core_code_list = serializers.CharField(
        source="core_list", help_text="CORE rent type or CORE sales ownership scheme."
    )
    core_code = serializers.CharField()

    def get_digital_land_tenure_type_name(self, tenure) -> str:
        return DIGITAL_LAND_NAMES[tenure.digital_land]


class TenureHomesSerializer(TenureSerializer):
    homes = serializers.IntegerField()


class HomesSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_tenure = TenureHomesSerializer(many=True)


# --- schemes ---------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class SchemeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="This scheme in the API.")
    clt = RefSerializer()
    housing_association = RefSerializer(allow_null=True)
    site = serializers.CharField(source="site.name", allow_null=True)
    parish = serializers.CharField(source="site.parish.name", allow_null=True)
    district = serializers.CharField(source="site.parish.district", allow_null=True)
    stage = serializers.SerializerMethodField()
    on_hold_from = serializers.SerializerMethodField(help_text="The stage it was held from, when on hold.")
    homes = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_url(self, scheme) -> str:
        return _api_url(
            self.context, "api_scheme_detail", umbrella_slug=self.context["umbrella_slug"], public_id=scheme.public_id
        )

    @extend_schema_field(StageSerializer(allow_null=True))
    def get_stage(self, scheme):
        code = stage_code(scheme.stage)
        return StageSerializer(code).data if code else None

    @extend_schema_field(StageSerializer(allow_null=True))
    def get_on_hold_from(self, scheme):
        code = stage_code(scheme.held_from_stage)
        return StageSerializer(code).data if code else None

    @extend_schema_field(HomesSerializer)
    def get_homes(self, scheme):
        by_tenure = [
            {**TenureSerializer(t).data, "homes": getattr(scheme, t.field)} for t in TENURES if getattr(scheme, t.field)
        ]
        return {"total": scheme.homes_total, "by_tenure": by_tenure}


class BedroomsSerializer(serializers.Serializer):
    one = serializers.IntegerField(source="bedrooms_1")
    two = serializers.IntegerField(source="bedrooms_2")
    three = serializers.IntegerField(source="bedrooms_3")
    four_or_more = serializers.IntegerField(source="bedrooms_4_plus")


class MilestoneSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["milestone", "task"])
    is_development = serializers.BooleanField(help_text="A development milestone, which the HA partner updates.")
    due_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    state = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField(help_text="Who owns it, named as on the page; empty for nobody.")

    def get_owner(self, milestone) -> str:
        return milestone.owner.display_name if milestone.owner_id else ""

    def get_state(self, milestone) -> str:
        """done, overdue or open."""
        if milestone.completed_on:
            return "done"
        return "overdue" if milestone.is_overdue(self.context.get("today")) else "open"


class BuyBackOptionSerializer(serializers.Serializer):
    earliest_on = serializers.DateField(source="option_earliest_on", allow_null=True)
    notice_months = serializers.IntegerField(source="option_notice_months")
    basis = serializers.CharField(source="option_basis")
    basis_name = serializers.CharField(source="get_option_basis_display")


class LeaseSerializer(serializers.Serializer):
    term_years = serializers.IntegerField()
    freehold_acquired_on = serializers.DateField(allow_null=True)
    start_on = serializers.DateField(allow_null=True, help_text="Null until the lease is granted.")
    expires_on = serializers.DateField(allow_null=True, help_text="The term's last day.")
    premium = serializers.DecimalField(**MONEY, help_text="Paid by the HA, in pounds.")
    ground_rent = serializers.DecimalField(**MONEY, help_text="A year, in pounds; 0.00 is a peppercorn.")
    buy_back_option = BuyBackOptionSerializer(source="*")


class AppraisalSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="appraisal.public_id")
    version = serializers.IntegerField(source="appraisal.version")
    agreed_on = serializers.DateField(source="appraisal.agreed_on")
    agreed_at_stage = serializers.SerializerMethodField()
    homes = serializers.IntegerField(source="appraisal.homes")
    term_years = serializers.IntegerField(source="appraisal.term_years")
    discount_rate_percent = serializers.DecimalField(source="appraisal.discount_rate", max_digits=5, decimal_places=2)
    net_rent_a_year = serializers.DecimalField(source="result.net_rent", **WORKED)
    annuity_factor = serializers.DecimalField(source="result.annuity_factor", max_digits=None, decimal_places=6)
    present_value_of_rent = serializers.DecimalField(source="result.present_value", **WORKED)
    capital_receipts = serializers.DecimalField(source="result.capital_receipts", **WORKED)
    grant = serializers.DecimalField(source="result.grant", **WORKED)
    total_scheme_cost = serializers.DecimalField(source="result.total_scheme_cost", **WORKED)
    net_present_value = serializers.DecimalField(source="result.npv", **WORKED, help_text="The HA's, over the term.")
    residual_land_value = serializers.DecimalField(source="result.residual_land_value", **WORKED)

    @extend_schema_field(StageSerializer(allow_null=True))
    def get_agreed_at_stage(self, summary):
        code = stage_code(summary["appraisal"].agreed_at_stage)
        return StageSerializer(code).data if code else None


class StageMoveSerializer(serializers.Serializer):
    stage = serializers.SerializerMethodField()
    on = serializers.SerializerMethodField()

    @extend_schema_field(StageSerializer(allow_null=True))
    def get_stage(self, change):
        code = stage_code(change.to_stage)
        return StageSerializer(code).data if code else None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_on(self, change):
        return timezone.localdate(change.changed_at).isoformat()  # the day in England, as on its page


class SchemeDetailSerializer(SchemeSerializer):
    """A scheme with what its page shows the person: the view puts the parts read through their
    selectors in the context (milestones, lease, the agreed appraisal, stage moves)."""

    bedrooms = BedroomsSerializer(source="*")
    total_scheme_cost = serializers.DecimalField(source="total_cost", **MONEY, allow_null=True)
    grant = serializers.DecimalField(**MONEY, allow_null=True)
    milestones = serializers.SerializerMethodField()
    lease = serializers.SerializerMethodField()
    agreed_appraisal = serializers.SerializerMethodField(help_text="The latest agreed version; null if none.")
    stage_history = serializers.SerializerMethodField()

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, scheme):
        return MilestoneSerializer(self.context["milestones"], many=True, context=self.context).data

    @extend_schema_field(LeaseSerializer(allow_null=True))
    def get_lease(self, scheme):
        lease = self.context["lease"]
        return LeaseSerializer(lease).data if lease is not None else None

    @extend_schema_field(AppraisalSummarySerializer(allow_null=True))
    def get_agreed_appraisal(self, scheme):
        summary = self.context["appraisal"]
        return AppraisalSummarySerializer(summary).data if summary is not None else None

    @extend_schema_field(StageMoveSerializer(many=True))
    def get_stage_history(self, scheme):
        return StageMoveSerializer(self.context["history"], many=True).data


# --- statements ------------------------------------------------------------------------------


class StatementStatusSerializer(serializers.Serializer):
    code = serializers.CharField(source="status")
    name = serializers.CharField(source="get_status_display")


class StatementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="This statement in the API.")
    housing_association = RefSerializer()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    version = serializers.IntegerField()
    status = StatementStatusSerializer(source="*")
    invoice_number = serializers.CharField(source="invoice_label", help_text="Empty until issued.")
    invoice_date = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    total_outstanding = serializers.DecimalField(**MONEY, allow_null=True, help_text="Before VAT.")
    total_vat = serializers.DecimalField(**MONEY, allow_null=True)
    total_due = serializers.DecimalField(**MONEY, allow_null=True)

    def get_url(self, statement) -> str:
        return _api_url(
            self.context,
            "api_statement_detail",
            umbrella_slug=self.context["umbrella_slug"],
            public_id=statement.public_id,
        )


#: Sums read back from frozen figures, which an older Fieldgate may lack (null then).
FROZEN = {"max_digits": None, "decimal_places": 2, "allow_null": True}


class StatementLineSerializer(serializers.Serializer):
    on = serializers.DateField()
    who = serializers.CharField(allow_blank=True, help_text="The person or role.")
    what = serializers.CharField(allow_blank=True)
    hours = serializers.DecimalField(**FROZEN)
    rate = serializers.DecimalField(**FROZEN, help_text="An hour, in pounds.")
    amount = serializers.DecimalField(**FROZEN)


class StatementSchemeSerializer(serializers.Serializer):
    scheme_id = serializers.CharField(allow_null=True, help_text="The scheme's id, as when the statement was drawn.")
    name = serializers.CharField(allow_blank=True)
    clt = serializers.CharField(allow_blank=True)
    stage_name = serializers.CharField(source="stage", allow_blank=True, help_text="Its stage's name when drawn.")
    went_ahead_on = serializers.DateField(allow_null=True)
    costs_to_date = serializers.DecimalField(**FROZEN)
    costs_in_period = serializers.DecimalField(**FROZEN)
    recoverable = serializers.DecimalField(**FROZEN)
    working = serializers.CharField(allow_blank=True, help_text="How the recoverable sum was figured.")
    invoiced_before = serializers.DecimalField(**FROZEN)
    outstanding = serializers.DecimalField(**FROZEN, help_text="Before VAT.")
    vat = serializers.DecimalField(**FROZEN)
    lines = StatementLineSerializer(many=True)


class StatementDetailSerializer(StatementSerializer):
    """A statement with its figures as frozen when it was drawn: the schemes billed and their
    cost lines (the PDF's)."""

    fee_basis = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(help_text="The statement's PDF; null until it is drawn.")
    schemes = serializers.SerializerMethodField()

    def get_fee_basis(self, statement) -> str:
        return statement_fee_basis(statement)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf(self, statement) -> str | None:
        if statement_pdf_path(statement) is None:
            return None
        return _api_url(
            self.context,
            "api_statement_pdf",
            umbrella_slug=self.context["umbrella_slug"],
            public_id=statement.public_id,
        )

    @extend_schema_field(StatementSchemeSerializer(many=True))
    def get_schemes(self, statement):
        return StatementSchemeSerializer(statement_scheme_rows(statement), many=True).data
