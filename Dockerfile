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
    HOST=0.0.0.0 \
    PORT=8000 \
    PYTHONUNBUFFERED=1
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python3 -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/readyz')"
# HOST and PORT come from the environment (`docker run -e PORT=9000 -p 9000:9000 ...`).
CMD ["pdsa", "serve"]
