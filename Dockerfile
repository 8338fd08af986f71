# The production image: the same install and entry point as `.ci/production-install` runs.
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 pdsa && mkdir /data && chown pdsa /data
WORKDIR /srv
COPY pyproject.toml README.md alembic.ini ./
COPY app app
COPY migrations migrations
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --quiet --disable-pip-version-check --no-cache-dir /srv

USER pdsa
ENV PATH=/opt/venv/bin:$PATH \
    DATABASE_URL=sqlite:////data/pdsa.db \
    PYTHONUNBUFFERED=1
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz')"
CMD ["pdsa", "serve", "--host", "0.0.0.0", "--port", "8000"]
