"""`make bench`: the large synthetic data set, and page loads served by gunicorn and measured with wrk
(`manage.py bench`). Nothing in the domain apps imports it."""
