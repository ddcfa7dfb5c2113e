# Fieldgate production image: gunicorn (web), celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's native libraries and the fonts PDFs are rendered with.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system fieldgate \
    && useradd --system --gid fieldgate --home-dir /app --no-create-home --shell /usr/sbin/nologin fieldgate

WORKDIR /app

# Dependencies first (cached until pyproject.toml or constraints.txt changes), at the releases
# make test passed with. The project's package list is empty, so this installs the dependencies only.
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt . && rm -rf build *.egg-info

COPY . .

ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    PYTHONUNBUFFERED=1

# Static files are collected at build time (served by WhiteNoise); the values
# below exist only so the production settings import during the build.
RUN SECRET_KEY=build-only-not-secret DATABASE_URL=sqlite:////tmp/x.db REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/x.db \
    && mkdir -p /app/var/media \
    && chown -R fieldgate:fieldgate /app/var

# The code stays root-owned and read-only to the app; only /app/var is writable
# (uploads in /app/var/media, celery beat's schedule in /app/var).
USER fieldgate

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
