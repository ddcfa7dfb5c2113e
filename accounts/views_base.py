"""The one base for every view under /u/<umbrella_slug>/ (Sentry's OrganizationEndpoint).

It resolves the umbrella and the access object once, answers 404 to anyone without a membership,
sends admins and staff to set up two-factor authentication when their umbrella asks for it, and
checks the view's rule for the request method (403 for a member who may not). Views then reach
data only through selectors that take `self.access`.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic.base import TemplateResponseMixin

from accounts.access import Access, access_for
from accounts.rules import can
from accounts.selectors import user_has_totp
from core.csvexport import csv_pieces, kept_csv
from core.plain import PlainForm, PlainModelForm
from core.versions import cached_read

SESSION_LAST_UMBRELLA = "fieldgate_last_umbrella"


class TenantView(View):
    #: HTTP method -> rule name (see accounts.rules.RULES). A method not listed is not allowed.
    permissions: dict[str, str] = {}
    access: Access

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        umbrella_slug = kwargs.pop("umbrella_slug")
        self.access = access_for(user=request.user, umbrella_slug=umbrella_slug)
        self.umbrella = self.access.umbrella
        request.access = self.access
        if request.session.get(SESSION_LAST_UMBRELLA) != umbrella_slug:
            request.session[SESSION_LAST_UMBRELLA] = umbrella_slug  # (a write to Redis, so only when it changes)

        if self.access.is_staff and self.umbrella.require_mfa_for_staff and not user_has_totp(request.user):
            messages.warning(
                request,
                f"{self.umbrella.name} asks its admins and staff to use two-factor authentication. "
                "Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")

        method = request.method.upper()
        if method == "HEAD":
            method = "GET"
        if method not in self.permissions:
            return self.http_method_not_allowed(request, *args, **kwargs)
        rule = self.permissions[method]
        if not can(self.access, rule):
            raise PermissionDenied("Your role in this umbrella does not allow this.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("access", self.access)
        kwargs.setdefault("umbrella", self.umbrella)
        return kwargs

    def kept(self, name: str, compute, *parts):
        """`compute()` kept until the umbrella's data changes: keyed by the access's data scope and
        today's date besides `parts` (core.versions). Keep data (rows, figures); HTML only through
        kept_fragments, which draws it without telling the template who is looking. The view still
        checks the access to what it shows before it asks for this."""
        return cached_read(
            umbrella_id=self.access.umbrella_id, name=name, parts=self.read_parts(*parts), compute=compute
        )

    def kept_fragment(self, name: str, template: str, data, *parts, query: bool = False) -> str:
        """One kept fragment (see kept_fragments)."""
        return self.kept_fragments(name, {"body": template}, data, *parts, query=query)["body"]

    def kept_fragments(
        self, name: str, templates: dict[str, str], data, *parts, query: bool = False, also=None
    ) -> dict:
        """Each of `templates` drawn from `data` (a dict, or a function giving one) and kept until the
        umbrella's data changes, for everyone with this data scope: keyed like `kept`. It is drawn
        from the data and the scope alone (fragment_context): no request, so no CSRF token and no
        messages; no person unless the scope is one person's; an `access` that answers only what
        the scope says. A fragment cannot show one viewer what was drawn for another, because it
        is never told who is looking; forms and anything of the person are drawn around it.
        With `query`, the request's query string is part of the key and the fragment may read it
        (`request.GET`: a list's filters, sort and page). `also(data)`, the little the page around
        the fragments needs of the same data, is kept with them (one read, not the data again)."""

        def draw() -> dict:
            source = data() if callable(data) else data
            context = {**source, **self.fragment_context(query=query)}
            drawn = {key: render_to_string(template, context) for key, template in templates.items()}
            return {**drawn, **(also(source) if also else {})}

        if query:
            parts = (*parts, sorted(self.request.GET.lists()))
        return self.kept(f"fragments:{name}", draw, sorted(templates.items()), *parts)

    def fragment_context(self, *, query: bool = False) -> dict:
        access = self.access
        return {
            "access": FragmentScope.of(access),
            "user": access.user if not access.is_staff else Undisclosed("the person"),
            "umbrella": self.umbrella,
            "request": QueryOnly(self.request.GET) if query else Undisclosed("the request"),
        }

    def read_parts(self, *parts) -> list:
        """What a read kept for this access depends on besides the data: its data scope, the date."""
        return [*self.access.data_scope, timezone.localdate(), *parts]

    @classmethod
    def as_view(cls, **initkwargs):
        if not cls.permissions:
            raise ImproperlyConfigured(f"{cls.__name__} must name its permissions per method.")
        return super().as_view(**initkwargs)


class QueryOnly:
    """A list fragment's `request`: the query alone (its sort links repeat the filters), which is
    part of the fragment's key."""

    def __init__(self, query):
        self.GET = query


class Undisclosed:
    """What a kept fragment is not told (TenantView.kept_fragment): reading it from the fragment's
    template is an error the tests meet, never a page drawn for somebody else."""

    def __init__(self, what: str):
        self._what = what

    def __getattr__(self, name):
        raise ImproperlyConfigured(f"A kept fragment is not told {self._what} ({name}): draw that around it.")

    def __str__(self):
        raise ImproperlyConfigured(f"A kept fragment is not told {self._what}: draw that around it.")


@dataclass(frozen=True)
class FragmentScope:
    """The `access` a kept fragment sees: the role and ids of its data scope, nothing finer. Staff
    and admins share one scope, so it does not say which (is_admin, the person, their name)."""

    is_staff: bool
    is_clt_volunteer: bool
    is_ha_team: bool
    clt_ids: frozenset
    panel_clt_ids: frozenset
    ha_ids: frozenset

    @classmethod
    def of(cls, access: Access) -> "FragmentScope":
        if access.is_staff:
            return cls(True, False, False, frozenset(), frozenset(), frozenset())
        return cls(
            False, access.is_clt_volunteer, access.is_ha_team, access.clt_ids, access.panel_clt_ids, access.ha_ids
        )

    def __getattr__(self, name):
        raise ImproperlyConfigured(f"A kept fragment is not told the access's {name}: only its data scope.")


# --- generic pages built on TenantView -------------------------------------------------------


class TenantPage(TemplateResponseMixin, TenantView):
    """A read-only page: subclasses add to the context."""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**kwargs))


def csv_response(*, filename: str, pieces) -> StreamingHttpResponse:
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_csv(*, filename: str, header: list[str], rows) -> StreamingHttpResponse:
    return csv_response(filename=filename, pieces=csv_pieces(header, rows))


class TwoReadPaginator(Paginator):
    """Pages a queryset in two reads: first the page's primary keys (only the tables its filters
    and order need), then those rows with everything the page shows (joins, annotations,
    prefetches). A late or filtered page then sorts and skips narrow rows of one table instead of
    rows joined to every related table, which at 2,000 schemes an umbrella costs tens of ms."""

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset._fields is not None or queryset.query.combinator:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=keys)} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class EmptyFilterForm(PlainForm):
    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class TenantListView(TenantPage):
    """A list that pages, filters, sorts and exports what it shows to CSV (`?format=csv`).

    Subclasses give `filter_form_class` (its cleaned data are the selector's keyword filters),
    `get_queryset(**filters)` calling a selector, `sort_fields` and `csv_columns`.
    """

    paginate_by = 25
    filter_form_class: type[forms.Form] = EmptyFilterForm
    sort_fields: dict[str, str] = {}
    default_sort = ""
    csv_filename = "export.csv"
    #: An export of more than settings.CSV_INLINE_ROWS rows is written by a task (False: always
    #: streamed, for a list whose file must not outlive what it shows, such as applicants).
    csv_by_task = True
    csv_columns: list[tuple[str, object]] = []
    #: TwoReadPaginator for long lists whose rows join several tables.
    paginator_class = Paginator
    #: For a list read far more often than its rows change: the template of its content (filters,
    #: rows, pages), drawn from the data alone as a kept fragment per scope and query until the
    #: umbrella's data changes (TenantView.kept_fragment). Not for lists whose every sight is
    #: logged (applicants).
    body_template: str | None = None

    def list_summary(self, queryset) -> dict:
        """More for the page about the whole filtered list (its totals, say): context added to it."""
        return {}

    def get_queryset(self, **filters):
        raise NotImplementedError

    def csv_queryset(self, queryset):
        """What the export reads: the list's own queryset unless a view narrows it to what its
        CSV columns use (fewer joins and columns to convert for every exported row)."""
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            queryset, form, _sort = self._list()
            if not form.errors:
                return self.export_csv(queryset)
            response = self._page(request)  # a filter it cannot read: said on the page, nothing exported
            response.status_code = 400
            return response
        return self._page(request)

    def _page(self, request):
        if self.body_template is None:
            return self.render_to_response(self._page_context())
        body = self.kept_fragment(
            f"list:{request.resolver_match.view_name}", self.body_template, self._page_context, query=True
        )
        return self.render_to_response(self.get_context_data(body=body))

    def _list(self):
        """The filtered, sorted queryset. A filter whose value cannot be read is shown with its
        error and left out; the other filters still apply (the list never widens to everything
        because one value was wrong)."""
        form = self.filter_form_class(self.request.GET or None, access=self.access)
        form.is_valid()  # cleaned_data then holds the fields that read, and only those
        filters = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
        queryset = self.get_queryset(**filters)
        sort = self.request.GET.get("sort", self.default_sort)
        if sort.lstrip("-") in self.sort_fields:
            field = self.sort_fields[sort.lstrip("-")]
            queryset = queryset.order_by(("-" if sort.startswith("-") else "") + field, "pk")
        else:
            sort = self.default_sort
        return queryset, form, sort

    def _page_context(self) -> dict:
        queryset, form, sort = self._list()
        page = self.paginator_class(queryset, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return self.get_context_data(
            **self.list_summary(queryset),
            filter_form=form,
            page_obj=page,
            object_list=page.object_list,
            sort=sort,
            querystring=query.urlencode(),
            csv_querystring=_with_format_csv(query),
        )

    def export_csv(self, queryset):
        if self.csv_by_task and queryset.count() > settings.CSV_INLINE_ROWS:
            return self._export_by_task()
        columns = self.csv_columns

        def pieces():
            rows = (
                [getter(obj) for _, getter in columns] for obj in self.csv_queryset(queryset).iterator(chunk_size=2000)
            )
            return csv_pieces([name for name, _ in columns], rows)

        if self.body_template is None or not self.csv_by_task:
            return csv_response(filename=self.csv_filename, pieces=pieces())
        # The list's content is kept per data scope and query until the umbrella's data changes;
        # so is its CSV, as a file in private storage (core.csvexport.kept_csv).
        query = sorted((key, values) for key, values in self.request.GET.lists() if key != "format")
        kept = kept_csv(
            umbrella_id=self.access.umbrella_id,
            parts=self.read_parts(f"csv:{self.request.resolver_match.view_name}", query),
            pieces=pieces,
        )
        if kept.file is not None:
            return FileResponse(
                kept.file, as_attachment=True, filename=self.csv_filename, content_type="text/csv; charset=utf-8"
            )
        return csv_response(filename=self.csv_filename, pieces=kept.pieces)

    def _export_by_task(self):
        """A long export is written by a task into private storage; the person follows it on its
        page (their own: it holds what their access sees) and fetches the file from there."""
        from accounts.services import export_request
        from core.documents import QueueUnavailable

        query = self.request.GET.copy()
        query.pop("format", None)
        try:
            export = export_request(
                access=self.access,
                url_name=self.request.resolver_match.url_name,
                query=query.urlencode(),
                filename=self.csv_filename,
            )
        except QueueUnavailable:
            messages.error(
                self.request, "The export could not be started: the task queue is not answering. Try again shortly."
            )
            return redirect(f"{self.request.path}?{query.urlencode()}")
        return redirect("export_detail", umbrella_slug=self.umbrella.slug, public_id=export.public_id)


def _with_format_csv(query) -> str:
    query = query.copy()
    query["format"] = "csv"
    return query.urlencode()


# --- forms and deletes --------------------------------------------------------------------


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, beside the fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class TenantModelForm(PlainModelForm):
    """A ModelForm that knows the request's access, so subclasses narrow their choices with selectors."""

    def __init__(self, *args, access, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"


class TenantFormView(TenantPage):
    """GET shows the form; POST validates it and hands it to `save`, which calls a service.

    A service's ValidationError lands on the form; nothing is saved and the page answers 400.
    """

    form_class: type[forms.BaseForm]
    template_name = "partials/form_page.html"
    title = ""
    submit_label = "Save"
    intro = ""

    def get_object(self):
        return None

    def get_form_kwargs(self) -> dict:
        kwargs = {"access": self.access}
        if issubclass(self.form_class, forms.BaseModelForm):
            kwargs["instance"] = self.object
        return kwargs

    def get_initial(self) -> dict:
        return {}

    def save(self, form):
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return ""

    def get_title(self) -> str:
        return self.title

    def _render(self, form, status=200):
        context = self.get_context_data(
            form=form,
            object=self.object,
            title=self.get_title(),
            submit_label=self.submit_label,
            intro=self.intro,
            cancel_url=self.get_cancel_url(),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self._render(self.form_class(initial=self.get_initial(), **self.get_form_kwargs()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(request.POST, request.FILES or None, **self.get_form_kwargs())
        if form.is_valid():
            try:
                obj = self.save(form)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, self.success_message(obj))
                return HttpResponseRedirect(self.get_success_url(obj))
        return self._render(form, status=400)

    def success_message(self, obj) -> str:
        return f"Saved {obj._meta.verbose_name} “{obj}”." if hasattr(obj, "_meta") else "Saved."


class TenantDeleteView(TenantPage):
    """GET asks to confirm; POST deletes through `delete(obj)` (a service)."""

    template_name = "partials/confirm_delete.html"

    def get_object(self):
        raise NotImplementedError

    def delete(self, obj) -> None:
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self.get_context_data(object=obj, kind=obj._meta.verbose_name))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        url = self.get_success_url(obj)
        try:
            self.delete(obj)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(object=obj, kind=obj._meta.verbose_name, errors=error.messages), status=400
            )
        messages.success(request, f"Deleted {obj._meta.verbose_name} “{obj}”.")
        return HttpResponseRedirect(url)


class CSVImportView(TenantFormView):
    """A CSV import (core.csvimport reads it a line at a time, header first). A file up to
    CSV_IMPORT_INLINE_BYTES is imported while the person waits; a larger one is kept and imported
    by a task (accounts.ImportJob, registered in accounts.imports as `import_kind`), and the person
    is taken to its page, which shows how far it has got and, at the end, what it found."""

    submit_label = "Import"
    import_kind = ""

    def import_target(self):
        return None

    def import_now(self, upload) -> int:
        """Import a small file at once (the service); how many rows were saved."""
        raise NotImplementedError

    def done_message(self, count: int) -> str:
        raise NotImplementedError

    def save(self, form):
        from accounts.services import import_request
        from core.documents import QueueUnavailable

        upload = form.cleaned_data["file"]
        self.job = None
        if upload.size <= settings.CSV_IMPORT_INLINE_BYTES:
            self.count = self.import_now(upload)
            return None
        try:
            self.job = import_request(
                access=self.access, kind=self.import_kind, target=self.import_target(), upload=upload
            )
        except QueueUnavailable as error:
            raise ValidationError(
                {"file": "The task queue is not answering, so nothing was imported. Upload the file again shortly."}
            ) from error
        return None

    def success_message(self, obj) -> str:
        if self.job is not None:
            return "The file is large, so it is checked and imported in the background: this page shows how far it has got."
        return self.done_message(self.count)

    def get_success_url(self, obj) -> str:
        if self.job is not None:
            return reverse(
                "import_detail", kwargs={"umbrella_slug": self.umbrella.slug, "public_id": self.job.public_id}
            )
        return self.get_cancel_url()
