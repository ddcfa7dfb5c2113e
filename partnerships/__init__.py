"""Partnerships: three sub-domains on different floors (see the import contract in pyproject.toml).

- organisations/: housing associations, adviser firms, collaboration agreements, staff roles and
  their rates. Below clts and schemes, which refer to them.
- recoupment/: the calculator and the statements (PDF task, issue, payment). Above schemes, whose
  costs and stages it reads.
- programmes/: strategic partnership programmes and their case-study PDF. Above schemes (exemplar
  sites).

All three keep app_label "partnerships"; models.py only registers their models."""
