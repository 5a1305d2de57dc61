FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 postgresql-client gnupg \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 teichaku
COPY pyproject.toml README.md ./
COPY config ./config
COPY cases ./cases
COPY visits ./visits
COPY plans ./plans
COPY flags ./flags
COPY audit ./audit
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput && mkdir -p var && chown -R teichaku var
USER teichaku
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
