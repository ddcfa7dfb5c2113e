"""Recoupment statement pages. The PDF is made by a Celery task; the page follows its state."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.access import second_check
from accounts.selectors import email_failure_about
from accounts.views_base import TenantDeleteView, TenantFormView, TenantListView, TenantPage, apply_validation_error
from core.documents import QueueUnavailable
from partnerships.recoupment import selectors
from partnerships.recoupment import services as statements
from partnerships.recoupment.forms import (
    EarlierInvoiceFilterForm,
    EarlierInvoiceForm,
    PaidForm,
    StatementFilterForm,
    StatementRequestForm,
)

MANAGE = "partners.manage"
VIEW = "statements.view"


def _detail(view, statement) -> str:
    return reverse("statement_detail", kwargs={"umbrella_slug": view.umbrella.slug, "public_id": statement.public_id})


class StatementListView(TenantListView):
    permissions = {"GET": VIEW}
    template_name = "partnerships/statement_list.html"
    filter_form_class = StatementFilterForm
    sort_fields = {"period": "period_end", "ha": "housing_association__name", "status": "status"}
    default_sort = "-period"
    csv_filename = "statements.csv"
    csv_columns = [
        ("Reference", lambda s: s.reference),
        ("Invoice", lambda s: s.invoice_label),
        ("Housing association", lambda s: s.housing_association.name),
        ("Period start", lambda s: s.period_start),
        ("Period end", lambda s: s.period_end),
        ("Version", lambda s: s.version),
        ("Status", lambda s: s.get_status_display()),
        ("Outstanding (£)", lambda s: s.total_outstanding),
        ("VAT (£)", lambda s: s.total_vat),
        ("Total due (£)", lambda s: s.total_due),
        ("Paid on", lambda s: s.paid_on),
    ]

    def get_queryset(self, **filters):
        return selectors.statement_list(access=self.access, **filters)


class StatementRequestView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = StatementRequestForm
    title = "Ask for a recoupment statement"
    intro = (
        "The statement is made in the background: its page shows when it is ready. The HA's team is emailed "
        "a link once it is."
    )
    submit_label = "Make the statement"

    def get_initial(self):
        end = timezone.localdate().replace(day=1) - timedelta(days=1)
        return {
            "period_start": end.replace(month=1, day=1) if end.month < 4 else date(end.year, 4, 1),
            "period_end": end,
        }

    def post(self, request, *args, **kwargs):
        self.object = None
        form = StatementRequestForm(request.POST, access=self.access)
        if form.is_valid():
            try:
                statement, created = statements.statement_request(access=self.access, **form.cleaned_data)
            except QueueUnavailable:
                messages.error(
                    request,
                    "The statement could not be started: the task queue is not answering. "
                    "Nothing was lost — try again shortly.",
                )
                return self._render(form, status=503)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if created:
                    messages.success(request, f"Statement {statement.reference} is being made.")
                else:
                    messages.info(request, f"Statement {statement.reference} for that period is already being made.")
                return redirect(_detail(self, statement))
        return self._render(form, status=400)


class StatementDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "partnerships/statement_detail.html"

    def get_context_data(self, **kwargs):
        statement = selectors.statement_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            statement=statement,
            totals=selectors.statement_totals(statement),
            scheme_rows=selectors.statement_scheme_rows(statement),
            paid_form=PaidForm(initial={"paid_on": timezone.localdate()}),
            email_failure=email_failure_about(access=self.access, about=f"statement:{statement.public_id}"),
        )
        return context


class StatementStatusView(TenantPage):
    """JSON for the detail page's small script: it checks every few seconds while the PDF is made."""

    permissions = {"GET": VIEW}

    def get(self, request, public_id):
        statement = selectors.statement_get(access=self.access, public_id=public_id)
        return JsonResponse(
            {
                "status": statement.status,
                "label": statement.get_status_display(),
                "in_progress": statement.in_progress,
                "failure_reason": statement.failure_reason,
            }
        )


class StatementDownloadView(TenantPage):
    permissions = {"GET": VIEW}

    def get(self, request, public_id):
        statement = selectors.statement_get(access=self.access, public_id=public_id)
        second_check(statement.umbrella_id == self.access.umbrella.pk)  # the second check on a download
        path = selectors.statement_pdf_path(statement)
        if path is None:
            raise Http404("No file yet.")
        response = FileResponse(
            path.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{statement.reference}.pdf"
        )
        response["Cache-Control"] = "private, no-store"
        return response


class _StatementAction(TenantPage):
    permissions = {"POST": MANAGE}

    def act(self, statement):
        raise NotImplementedError

    def post(self, request, public_id):
        statement = selectors.statement_get(access=self.access, public_id=public_id)
        try:
            result = self.act(statement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_detail(self, statement))
        except QueueUnavailable:
            messages.error(request, "The task queue is not answering. Nothing was lost — try again shortly.")
            return redirect(_detail(self, statement))
        return redirect(_detail(self, result))


class StatementIssueView(_StatementAction):
    """GET asks to confirm, saying what issuing does (and why it cannot, when it cannot); POST issues."""

    permissions = {"GET": MANAGE, "POST": MANAGE}
    template_name = "partnerships/statement_issue.html"

    def get(self, request, public_id):
        statement = selectors.statement_get(access=self.access, public_id=public_id)
        problems = statements.statement_issue_problems(access=self.access, statement=statement)
        next_number = self.umbrella.invoice_label(self.umbrella.next_invoice_number)  # read with this request
        return self.render_to_response(
            self.get_context_data(statement=statement, problems=problems, next_number=next_number)
        )

    def act(self, statement):
        issued = statements.statement_issue(access=self.access, statement=statement)
        messages.success(
            self.request,
            f"{statement.reference} is issued as invoice {issued.invoice_label}, due by "
            f"{issued.due_on:%-d %b %Y}: its figures and file are now frozen.",
        )
        return issued


class StatementPaidView(_StatementAction):
    def act(self, statement):
        form = PaidForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError("Give the date it was paid.")
        statements.statement_mark_paid(access=self.access, statement=statement, paid_on=form.cleaned_data["paid_on"])
        messages.success(self.request, f"{statement.reference} is marked paid.")
        return statement


class StatementRetryView(_StatementAction):
    def act(self, statement):
        fresh = statements.statement_retry(access=self.access, statement=statement)
        messages.success(self.request, f"Trying again as {fresh.reference}.")
        return fresh


# --- invoices raised before Fieldgate --------------------------------------------------------


class EarlierInvoiceListView(TenantListView):
    """Staff: invoices for the umbrella's costs raised outside Fieldgate, counted in "invoiced before"."""

    permissions = {"GET": MANAGE}
    template_name = "partnerships/earlier_invoice_list.html"
    filter_form_class = EarlierInvoiceFilterForm
    sort_fields = {"date": "invoiced_on", "reference": "reference", "scheme": "scheme__name"}
    default_sort = "-date"
    csv_filename = "earlier-invoices.csv"
    csv_columns = [
        ("Reference", lambda i: i.reference),
        ("Invoice date", lambda i: i.invoiced_on),
        ("Scheme", lambda i: i.scheme.name),
        ("Housing association", lambda i: i.housing_association.name),
        ("Amount before VAT (£)", lambda i: i.amount),
        ("Note", lambda i: i.note),
    ]

    def get_queryset(self, **filters):
        return selectors.earlier_invoice_list(access=self.access, **filters)


class EarlierInvoiceCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = EarlierInvoiceForm
    title = "Record an invoice raised before Fieldgate"
    intro = (
        "An invoice for the umbrella's costs on a scheme that was sent outside Fieldgate. Every statement to the "
        "scheme's HA for a period ending on or after its date counts it as invoiced before, and names it."
    )
    submit_label = "Record the invoice"

    def save(self, form):
        return statements.earlier_invoice_create(access=self.access, **form.cleaned_data)

    def success_message(self, obj):
        return f"Recorded {obj} for {obj.scheme}."

    def get_success_url(self, obj):
        return self.get_cancel_url()

    def get_cancel_url(self):
        return reverse("earlier_invoice_list", kwargs={"umbrella_slug": self.umbrella.slug})


class EarlierInvoiceDeleteView(TenantDeleteView):
    permissions = {"GET": MANAGE, "POST": MANAGE}

    def get_object(self):
        return selectors.earlier_invoice_get(access=self.access, public_id=self.kwargs["public_id"])

    def delete(self, obj):
        statements.earlier_invoice_delete(access=self.access, invoice=obj)

    def get_success_url(self, obj):
        return reverse("earlier_invoice_list", kwargs={"umbrella_slug": self.umbrella.slug})
