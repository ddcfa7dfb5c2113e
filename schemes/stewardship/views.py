"""Pages of a live scheme's stewardship: the ground-rent ledger, its payments and the lease's
covenant checks."""

from django.urls import reverse
from django.utils import timezone

from accounts.rules import can
from accounts.views_base import TenantFormView, TenantPage, stream_csv
from schemes import selectors as scheme_selectors
from schemes.stewardship import selectors, services
from schemes.stewardship.forms import CheckDoneForm, CheckForm, PaymentForm

VIEW, RECORD = "stewardship.view", "stewardship.record"


class _OfScheme:
    def find_scheme(self):
        self.scheme = scheme_selectors.scheme_get(access=self.access, public_id=self.kwargs["public_id"])
        self.lease = selectors.lease_of(access=self.access, scheme=self.scheme)

    def stewardship_url(self) -> str:
        return reverse("stewardship", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": self.scheme.public_id})


class StewardshipView(_OfScheme, TenantPage):
    permissions = {"GET": VIEW}
    template_name = "schemes/stewardship.html"

    def get(self, request, *args, **kwargs):
        self.find_scheme()
        today = timezone.localdate()
        stewardship = selectors.stewardship_of(access=self.access, scheme=self.scheme, today=today)
        if request.GET.get("format") == "csv":
            rows = [
                [c.year, c.due_on.isoformat(), c.amount, c.paid, c.outstanding, c.status(today)]
                for c in stewardship.ledger.charges
            ]
            return stream_csv(
                filename="ground-rent.csv",
                header=["Year of the lease", "Due on", "Ground rent (£)", "Paid (£)", "Outstanding (£)", "Status"],
                rows=rows,
            )
        may_record = can(self.access, "stewardship.record_for_clt", self.scheme.clt)
        return self.render_to_response(
            self.get_context_data(scheme=self.scheme, s=stewardship, today=today, may_record=may_record)
        )


class _RecordView(_OfScheme, TenantFormView):
    permissions = {"GET": RECORD, "POST": RECORD}

    def get_object(self):
        self.find_scheme()
        return None

    def get_cancel_url(self):
        return self.stewardship_url()

    def get_success_url(self, obj):
        return self.stewardship_url()


class PaymentCreateView(_RecordView):
    form_class = PaymentForm
    submit_label = "Record the payment"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "lease": self.lease}

    def get_title(self):
        return f"Record a ground-rent payment for {self.scheme}"

    def save(self, form):
        d = form.cleaned_data
        return services.payment_record(
            access=self.access, lease=self.lease, paid_on=d["paid_on"], amount=d["amount"], reference=d["reference"]
        )

    def success_message(self, obj):
        return f"Recorded £{obj.amount:,.2f} paid on {obj.paid_on:%-d %B %Y}."


class CheckCreateView(_RecordView):
    form_class = CheckForm
    submit_label = "Add the check"

    def get_title(self):
        return f"Add a covenant check for {self.scheme}"

    def save(self, form):
        d = form.cleaned_data
        return services.check_add(
            access=self.access,
            lease=self.lease,
            kind=d["kind"],
            title=d["title"],
            due_on=d["due_on"],
            recurs_yearly=d["recurs_yearly"],
        )


class CheckDoneView(_RecordView):
    form_class = CheckDoneForm
    submit_label = "Mark it done"

    def get_object(self):
        self.find_scheme()
        self.check = selectors.covenant_check_get(
            access=self.access, scheme=self.scheme, public_id=self.kwargs["check_id"]
        )
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scheme": self.scheme}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_title(self):
        return f"“{self.check}”, due {self.check.due_on:%-d %B %Y}: done"

    def save(self, form):
        d = form.cleaned_data
        return services.check_done(
            access=self.access,
            check=self.check,
            done_on=d["done_on"],
            evidence=d["evidence"],
            evidence_document=d["evidence_document"],
        )

    def success_message(self, obj):
        return f"“{obj}” is done." + (" The next one is due in a year." if obj.recurs_yearly else "")
