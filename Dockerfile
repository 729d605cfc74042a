FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-xxxxxxxxxxxxxxxx \
       python manage.py collectstatic --noinput
RUN useradd --create-home rtw && chown -R rtw /app
USER rtw
