"""Permission matrix entries for strategic partnership programme URLs (see tests/matrix.py)."""

from .matrix_base import Case, obj, roles  # noqa: F401

MATRIX_PROGRAMMES: list[Case] = []
