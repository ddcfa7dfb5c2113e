"""Error messages in plain words: "Give a number, like 12.50." rather than Django's stock "Enter a
number.", "Give 24 or less." rather than "Ensure this value is less than or equal to 24.", "Enter
the title." rather than "This field is required.", and never a constraint's or a type's name. The
page's error summary puts each field's label before its message.

A stock message is replaced only where it is still the stock one: a message a form, a model field
or a validator sets for itself is kept. `PlainErrors` does it for a form (each of our forms is one);
`plain_model_messages` for the model fields our services validate with `full_clean()`.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.utils import pretty_name

_ARTICLES = ("the ", "a ", "an ", "your ", "their ", "its ", "who ", "what ", "when ", "where ", "how ")


def _label(label, name: str) -> str:
    """The label inside a sentence: "Amount before VAT (£)" gives "the amount before VAT (£)";
    "CLT" stays "the CLT"."""
    label = str(label or pretty_name(name)).strip().rstrip(":")  # (raised without params: never %-formatted)
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        label = label[0].lower() + label[1:]
    return label if label.lower().startswith(_ARTICLES) else f"the {label}"


def _stock_messages(cls) -> dict:
    found: dict = {}
    for klass in reversed(cls.__mro__):
        found.update(getattr(klass, "default_error_messages", {}) or {})
    return found


def _is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        getattr(field, "widget", None), forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def _validator_codes(field) -> tuple[dict[str, str], set[str]]:
    """The codes of this field's validators: those saying something of their own (not their
    class's message), with that message, and those with their class's stock message."""
    own, stock = {}, set()
    for validator in getattr(field, "validators", []):
        message = getattr(validator, "message", None)
        code = getattr(validator, "code", None)
        if code and message is not None:
            if message != getattr(type(validator), "message", message):
                own[code] = message
            else:
                stock.add(code)
    return own, stock


#: Messages that need no field's name (the page's error summary puts the label before each).
COMMON = {
    "max_length": "Keep it to %(limit_value)d characters at most (this is %(show_value)d).",
    "min_length": "Give at least %(limit_value)d characters (this is %(show_value)d).",
    "min_value": "Give %(limit_value)s or more.",
    "max_value": "Give %(limit_value)s or less.",
    "step_size": "Give a multiple of %(limit_value)s.",
    "max_digits": "That number is too long: at most %(max)s digits.",
    "max_decimal_places": "Give at most %(max)s figures after the decimal point.",
    "max_whole_digits": "That number is too large: at most %(max)s figures before the decimal point.",
    "null_characters_not_allowed": "It has a hidden character (a null byte) in it: type it again.",
    "invalid_choice": "That is not one of the choices: choose from the list.",
    "invalid_list": "That is not one of the choices: choose from the list.",
    "invalid_pk_value": "That is not one of the choices: choose from the list.",
    "missing": "Choose the file to upload.",
    "empty": "The file is empty: choose the file with the rows in it.",
    "contradiction": "Either choose a file or tick to clear it, not both.",
}
A_DATE = "Give a real date, like 2026-12-03."


def form_field_messages(field, name: str) -> dict[str, str]:
    """Plain messages for one form field, by error code."""
    messages = dict(COMMON)
    if isinstance(field, forms.FileField):
        messages["required"] = "Choose the file to upload."
        messages["invalid"] = "Choose the file to upload (the form sent no file)."
        messages["max_length"] = "The file's name is at most %(max)d characters; this one has %(length)d."
    elif isinstance(field, forms.BooleanField):
        messages["required"] = "Tick it to go on."
    elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        messages["required"] = "Choose at least one from the list."
    elif _is_choice(field):
        messages["required"] = "Choose one from the list."
    elif isinstance(field, forms.DateTimeField):
        messages["required"] = messages["invalid"] = "Give a real date and time, like 2026-12-03 14:30."
    elif isinstance(field, forms.DateField):
        messages["required"] = messages["invalid"] = A_DATE
    elif isinstance(field, forms.DecimalField | forms.FloatField):  # (before IntegerField: their base)
        messages["required"] = messages["invalid"] = "Give a number, like 12.50."
    elif isinstance(field, forms.IntegerField):
        messages["required"] = messages["invalid"] = "Give a whole number, like 12."
    elif isinstance(field, forms.EmailField):
        messages["required"] = messages["invalid"] = "Enter an email address, like name@example.org."
    elif isinstance(field, forms.URLField):
        messages["required"] = messages["invalid"] = "Enter a web address, like https://example.org."
    elif isinstance(field, forms.UUIDField):
        messages["required"] = messages["invalid"] = COMMON["invalid_choice"]
    else:
        messages["required"] = f"Enter {_label(field.label, name)}."
        messages["invalid"] = "That is not in a form it can take: check it and enter it again."
    return messages


def plain_form_errors(form) -> None:
    """Replace each field's stock messages (only those still stock) with plain ones."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        plain = form_field_messages(field, name)
        if model is not None:
            # A ModelForm puts its field's message in place of the model's for the same code, so
            # where the model field's validator says something of its own, the form says it too
            # (a form field's own range check, of 0 or more say, then speaks the same words).
            try:
                plain.update(_validator_codes(model._meta.get_field(name))[0])
            except FieldDoesNotExist:  # a form field of its own
                pass
        _apply(field, plain)


def _apply(field, plain: dict[str, str]) -> None:
    stock = _stock_messages(type(field))
    own, stock_validators = _validator_codes(field)
    for code, message in plain.items():
        if code in own:
            continue  # its validator says something of its own
        if code in field.error_messages and field.error_messages[code] != stock.get(code):
            continue  # the form or model said something of its own
        if code in stock or code in stock_validators or code in _VALIDATOR_CODES:
            field.error_messages[code] = message


_VALIDATOR_CODES = {
    "max_length",
    "min_length",
    "min_value",
    "max_value",
    "step_size",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "null_characters_not_allowed",
}


class PlainErrors:
    """A form whose every field speaks plainly (see the module). Applied when the form is cleaned,
    so fields a form adds in its own __init__ are covered too."""

    def full_clean(self):
        plain_form_errors(self)
        super().full_clean()


class PlainForm(PlainErrors, forms.Form):
    pass


class PlainModelForm(PlainErrors, forms.ModelForm):
    pass


# --- model fields ------------------------------------------------------------------------------


def model_field_messages(field) -> dict[str, str]:
    from django.db import models

    messages = {**COMMON, "blank": f"Enter {_label(field.verbose_name, field.name)}."}
    messages["null"] = messages["blank"]
    if isinstance(field, models.UUIDField | models.ForeignKey):
        messages["invalid"] = COMMON["invalid_choice"]  # an id that is not one: a choice tampered with
    elif isinstance(field, models.DateTimeField):  # (before DateField: its base)
        messages["invalid"] = messages["invalid_date"] = messages["invalid_datetime"] = (
            "Give a real date and time, like 2026-12-03 14:30."
        )
    elif isinstance(field, models.DateField):
        messages["invalid"] = messages["invalid_date"] = A_DATE
    elif isinstance(field, models.DecimalField | models.FloatField):
        messages["invalid"] = "Give a number, like 12.50."
    elif isinstance(field, models.IntegerField):
        messages["invalid"] = "Give a whole number, like 12."
    else:
        messages["invalid"] = "That is not in a form it can take: check it and enter it again."
    return messages


def plain_model_messages(models) -> None:
    """For each model field, the plain message for every code whose message is still stock (a
    validator or field with a message of its own keeps it)."""
    for model in models:
        for field in model._meta.get_fields():
            if hasattr(field, "error_messages") and getattr(field, "concrete", False):
                _apply(field, model_field_messages(field))
