"""Permission matrix entries for schemes/ URLs (see tests/matrix.py for roles and helpers)."""

from .matrix import Case, obj, roles  # noqa: F401

MATRIX_SCHEMES: list[Case] = []
