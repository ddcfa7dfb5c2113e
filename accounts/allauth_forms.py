"""allauth's sign-in and password forms, speaking plainly like ours (core.plain): "Enter the
email." rather than "This field is required." Named in ACCOUNT_FORMS."""

from allauth.account import forms as allauth

from core.plain import PlainErrors


class LoginForm(PlainErrors, allauth.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page links "Forgotten your password?" below the form; allauth's own "Forgot your
        # password?" beside the field would say it twice.
        self.fields["password"].help_text = ""


class ResetPasswordForm(PlainErrors, allauth.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainErrors, allauth.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(PlainErrors, allauth.ChangePasswordForm):
    pass


class SetPasswordForm(PlainErrors, allauth.SetPasswordForm):
    pass


class AddEmailForm(PlainErrors, allauth.AddEmailForm):
    pass
