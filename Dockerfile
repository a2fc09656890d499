# The one image of creditscore: web (gunicorn), worker and beat (Celery) run it
# with different commands (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=creditscore.settings.production

# libgomp1: the OpenMP runtime LightGBM's wheel links against (absent from slim images).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Requirements first: the dependency layer is rebuilt only when they change.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (WhiteNoise serves them). The key is a
# placeholder: collectstatic signs nothing, and the real key only exists at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Never run as root; the media volume (model archives) is mounted on /app/media.
RUN useradd --create-home --uid 1000 app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "creditscore.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
