"""Pages for people and membership. Thin: forms in, services do the work, selectors read."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accounts import selectors, services
from accounts.access import second_check, umbrellas_for
from accounts.forms import AcceptInvitationForm, ApiTokenForm, InvitationForm, MembershipForm, UmbrellaSettingsForm
from accounts.models import User
from accounts.views_base import SESSION_LAST_UMBRELLA, TenantPage, apply_validation_error
from core.pdf import private_path
from core.plain import PlainForm


def root(request):
    """Signed in: to the umbrella (the last one used, or the only one), or to the picker."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    umbrellas = umbrellas_for(request.user)
    slugs = {u.slug for u in umbrellas}
    last = request.session.get(SESSION_LAST_UMBRELLA)
    if len(umbrellas) == 1:
        return redirect("umbrella_home", umbrella_slug=umbrellas[0].slug)
    if last in slugs and request.GET.get("pick") is None:
        return redirect("umbrella_home", umbrella_slug=last)
    return redirect("umbrella_picker")


class UmbrellaPickerView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "accounts/umbrella_picker.html", {"umbrellas": umbrellas_for(request.user)})


class MemberListView(TenantPage):
    permissions = {"GET": "members.view"}
    template_name = "accounts/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.membership_list(access=self.access)
        invitations = list(selectors.invitation_list(access=self.access, pending_only=True))
        failures = list(selectors.email_failures_recent(access=self.access)[:50])
        by_about = {failure.about: failure for failure in failures}
        for invitation in invitations:
            invitation.email_failure = by_about.get(f"invitation:{invitation.public_id}")
        context.update(invitations=invitations, email_failures=failures)
        return context


class InvitationCreateView(TenantPage):
    permissions = {"GET": "members.manage", "POST": "members.manage"}
    template_name = "accounts/invitation_form.html"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=InvitationForm(access=self.access)))

    def post(self, request):
        form = InvitationForm(request.POST, access=self.access)
        if form.is_valid():
            try:
                invitation = services.invitation_create(access=self.access, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("member_list", umbrella_slug=self.umbrella.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MembershipEditView(TenantPage):
    permissions = {"GET": "members.manage", "POST": "members.manage"}
    template_name = "accounts/membership_form.html"

    def get(self, request, public_id):
        membership = selectors.membership_get(access=self.access, public_id=public_id)
        form = MembershipForm(
            access=self.access,
            initial={
                "role": membership.role,
                "clt": membership.clt,
                "housing_association": membership.housing_association,
                "is_allocation_panel": membership.is_allocation_panel,
            },
        )
        return self.render_to_response(self._context(membership, form))

    def post(self, request, public_id):
        membership = selectors.membership_get(access=self.access, public_id=public_id)
        form = MembershipForm(request.POST, access=self.access)
        if form.is_valid():
            try:
                services.membership_change(access=self.access, membership=membership, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"{membership.user.email}'s membership was changed.")
                return redirect("member_list", umbrella_slug=self.umbrella.slug)
        return self.render_to_response(self._context(membership, form), status=400)

    def _context(self, membership, form):
        return self.get_context_data(
            membership=membership,
            form=form,
            history=selectors.audit_for(access=self.access, object_type="membership", object_id=membership.public_id),
        )


class MembershipRevokeView(TenantPage):
    permissions = {"GET": "members.manage", "POST": "members.manage"}
    template_name = "accounts/membership_revoke.html"

    def get(self, request, public_id):
        membership = selectors.membership_get(access=self.access, public_id=public_id)
        return self.render_to_response(self.get_context_data(membership=membership))

    def post(self, request, public_id):
        membership = selectors.membership_get(access=self.access, public_id=public_id)
        try:
            services.membership_revoke(access=self.access, membership=membership)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(membership=membership, errors=error.messages), status=400
            )
        messages.success(request, f"{membership.user.email} no longer has access as {membership.get_role_display()}.")
        return redirect("member_list", umbrella_slug=self.umbrella.slug)


class InvitationRevokeView(TenantPage):
    permissions = {"POST": "members.manage"}

    def post(self, request, public_id):
        invitation = selectors.invitation_get(access=self.access, public_id=public_id)
        try:
            services.invitation_revoke(access=self.access, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
        return redirect("member_list", umbrella_slug=self.umbrella.slug)


class UmbrellaSettingsView(TenantPage):
    permissions = {"GET": "umbrella.manage", "POST": "umbrella.manage"}
    template_name = "accounts/umbrella_settings.html"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=UmbrellaSettingsForm(instance=self.umbrella)))

    def post(self, request):
        # A fresh copy: the form may change it while validating; the service saves.
        form = UmbrellaSettingsForm(request.POST, instance=services.Umbrella.objects.get(pk=self.umbrella.pk))
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.umbrella_update_settings(access=self.access, **data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Settings saved.")
                return redirect("umbrella_settings", umbrella_slug=self.umbrella.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InvitationAcceptView(View):
    """Outside /u/: the link in the invitation email. Anyone holding it may open it."""

    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, token):
        self.invitation = services.invitation_from_token(token)
        try:
            services.invitation_check_usable(self.invitation)
        except services.InvitationUnusable as problem:
            return render(
                request,
                "accounts/invitation_unusable.html",
                {"problem": str(problem)},
                status=410 if self.invitation else 404,
            )
        return super().dispatch(request, token)

    def _context(self, **extra):
        invitation = self.invitation
        user = self.request.user
        existing = services.User.objects.filter(email__iexact=invitation.email).exists()
        return {
            "invitation": invitation,
            "signed_in_as_other": user.is_authenticated and user.email.lower() != invitation.email.lower(),
            "needs_sign_in": not user.is_authenticated and existing,
            "login_url": reverse("account_login") + "?next=" + self.request.path,
            **extra,
        }

    def get(self, request, token):
        form = None if request.user.is_authenticated else AcceptInvitationForm(email=self.invitation.email)
        return render(request, self.template_name, self._context(form=form))

    def post(self, request, token):
        form = None
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(invitation=self.invitation, user=request.user)
            else:
                form = AcceptInvitationForm(request.POST, email=self.invitation.email)
                if not form.is_valid():
                    return render(request, self.template_name, self._context(form=form), status=400)
                membership = services.invitation_accept(
                    invitation=self.invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        except (services.InvitationUnusable, ValidationError) as problem:
            message = " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
            return render(request, self.template_name, self._context(form=form, problem=message), status=400)
        messages.success(request, f"Welcome to {membership.umbrella.name}.")
        return redirect("umbrella_home", umbrella_slug=membership.umbrella.slug)


class UmbrellaHelpView(TenantPage):
    """Who to ask for help in this umbrella. It reads nothing beyond what every signed-in page reads
    (the session, the person, their memberships) and draws the layout: make bench measures every
    page's throughput against it."""

    permissions = {"GET": "umbrella.view"}
    template_name = "accounts/help.html"


# --- CSV exports written by a task ------------------------------------------------------------


class ExportDetailView(TenantPage):
    """One of the person's own exports: its state, and the file once it is written."""

    permissions = {"GET": "umbrella.view"}
    template_name = "accounts/export_detail.html"

    def get_context_data(self, **kwargs):
        export = selectors.export_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        list_url = reverse(export.url_name, kwargs={"umbrella_slug": self.umbrella.slug})
        context.update(export=export, list_url=f"{list_url}?{export.query}" if export.query else list_url)
        return context


class ImportDetailView(TenantPage):
    """One of the person's own large CSV imports: how far it has got, and what it found."""

    permissions = {"GET": "umbrella.view"}
    template_name = "accounts/import_detail.html"

    def get_context_data(self, **kwargs):
        from django.http import Http404

        from accounts.imports import IMPORTERS

        job = selectors.import_job_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        importer = IMPORTERS.get(job.kind)
        done_url = retry_url = None
        if importer is not None:
            try:
                target = importer.target(self.access, job.target_id) if job.target_id else None
                done_url = importer.done_url(target, self.umbrella.slug)
                if importer.retry_url is not None:
                    retry_url = importer.retry_url(target, self.umbrella.slug)
            except Http404:
                done_url = retry_url = None  # what it was for has gone, or is no longer theirs to see
        context.update(job=job, importer=importer, done_url=done_url, retry_url=retry_url)
        return context


class ExportDownloadView(TenantPage):
    permissions = {"GET": "umbrella.view"}

    def get(self, request, public_id):
        export = selectors.export_get(access=self.access, public_id=public_id)
        second_check(export.umbrella_id == self.access.umbrella.pk and export.requested_by_id == request.user.pk)
        path = private_path(export.file_path) if export.file_path else None
        if path is None or not path.exists():
            raise Http404("No file yet.")
        response = FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8", as_attachment=True,
                                filename=export.filename)  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        return response


class ReminderForm(PlainForm):
    reminder_frequency = forms.ChoiceField(
        label="Email me what is due", widget=forms.RadioSelect,
        choices=User._meta.get_field("reminder_frequency").choices,
    )  # fmt: skip


class ReminderSettingsView(LoginRequiredMixin, View):
    """How often the reminders email comes (home/reminders.py): the person's own choice."""

    def get(self, request):
        form = ReminderForm(initial={"reminder_frequency": request.user.reminder_frequency})
        return render(request, "accounts/reminders.html", {"form": form})

    def post(self, request):
        form = ReminderForm(request.POST)
        if not form.is_valid():
            return render(request, "accounts/reminders.html", {"form": form}, status=400)
        services.reminder_frequency_set(user=request.user, frequency=form.cleaned_data["reminder_frequency"])
        messages.success(request, "Saved how often you are reminded.")
        return redirect("reminder_settings")


# --- the person's profile (outside /u/: it is theirs across umbrellas) -----------------------


class ProfileView(LoginRequiredMixin, View):
    """Who the person is, where they belong, their settings, and their API tokens. A new token's
    secret is shown once, on the page that answers the post (never stored, never redirected to)."""

    def page(self, request, *, form=None, created=None, secret="", status=200):
        umbrellas = selectors.api_token_umbrellas(user=request.user)
        context = {
            "umbrellas": umbrellas_for(request.user),
            "api_umbrellas": umbrellas,
            "tokens": list(selectors.api_token_list(user=request.user)),
            "form": form or ApiTokenForm(umbrellas=umbrellas),
            "created": created,
            "secret": secret,
            "schema_url": request.build_absolute_uri(reverse("api_schema")),
            "api_root": request.build_absolute_uri(reverse("api_root")),
        }
        return render(request, "accounts/profile.html", context, status=status)

    def get(self, request):
        return self.page(request)


class ApiTokenCreateView(ProfileView):
    def get(self, request):
        return redirect("profile")

    def post(self, request):
        form = ApiTokenForm(request.POST, umbrellas=selectors.api_token_umbrellas(user=request.user))
        if form.is_valid():
            try:
                token, secret = services.api_token_create(
                    user=request.user,
                    umbrella=form.cleaned_data["umbrella"],
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return self.page(request, created=token, secret=secret)
        return self.page(request, form=form, status=400)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, public_id):
        token = services.api_token_revoke(
            user=request.user, token=selectors.api_token_get(user=request.user, public_id=public_id)
        )
        messages.success(request, f"Revoked the token “{token.name}”: it no longer works.")
        return redirect("profile")
