# One image for web, Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# libmagic sniffs the type of every library upload from its bytes (python-magic).
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY cop_platform ./cop_platform
COPY accounts ./accounts
COPY communities ./communities
COPY forums ./forums
COPY hotseats ./hotseats
COPY library ./library
COPY newsletters ./newsletters
RUN pip install .
COPY . .
# collectstatic only needs settings to import; the real secret arrives at run time.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home app && mkdir -p /app/var/media /app/var/library && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "cop_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
