# TemporalETL worker image: `python worker.py --both` polls both ETL task queues.
# Built by the `worker` service of docker-compose.yml; runs anywhere a Temporal frontend
# and the events database are reachable (configure with the TEMPORAL_*, DB_* and LP_*
# environment variables, see docs/deployment.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user with a real home: launchpadlib keeps its cache under ~/.launchpadlib.
RUN groupadd --system --gid 10001 etl \
    && useradd --system --uid 10001 --gid etl --create-home --home-dir /home/etl etl

WORKDIR /app

# Dependencies first, so that code changes do not invalidate this layer.
# (requirements.txt also lists the embedded dev stack and test tools; they are unused here
# because the compose file always sets DB_HOST and TEMPORAL_HOST.)
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# .data/ is the project's scratch directory; make it writable for the worker user.
RUN mkdir -p /app/.data && chown etl:etl /app/.data

USER etl

CMD ["python", "worker.py", "--both"]
