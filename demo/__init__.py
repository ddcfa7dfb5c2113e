"""Demo data for `make run`: two umbrellas drawn from the published partnership models (shared/context/),
loaded by `manage.py load_demo`. Nothing in the domain apps imports it."""
