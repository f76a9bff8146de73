# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ENV=production
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 kim
WORKDIR /app

COPY pyproject.toml constraints.txt ./
RUN pip install --upgrade "pip>=25.1" && pip install --group run -c constraints.txt

COPY . .
# collectstatic and compilemessages need settings but no database or secrets of the real deployment.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
        python manage.py collectstatic --no-input -v 0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
        python manage.py compilemessages --ignore=.venv -v 0 \
    && mkdir -p /app/var/media && chown -R kim /app/var

USER kim
EXPOSE 8000
CMD ["gunicorn", "kim.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
