# intervals-mirror on a home server (a NAS, a small VPS): the MCP server over HTTP at /mcp and
# /sse, keeping the mirror fresh with its background sync, for every device.
#   docker build -t intervals-mirror .
#   docker run -d -p 8000:8000 -v intervals-mirror:/data -e INTERVALS_API_KEY=... \
#     -e INTERVALS_ATHLETE_ID=i12345 -e INTERVALS_MIRROR_TOKEN=... intervals-mirror
# compose.yaml is the same, written down. Other commands: docker run ... intervals-mirror sync

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY intervals_mirror ./intervals_mirror
COPY sql ./sql
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
COPY --from=build /install /usr/local
# Not root; the store, its lock and an optional config file live on the /data volume.
RUN useradd --system --user-group --uid 10001 --home-dir /data --no-create-home mirror \
    && mkdir /data && chown mirror:mirror /data
ENV INTERVALS_MIRROR_DB=/data/mirror.sqlite \
    XDG_CONFIG_HOME=/data/config \
    HOME=/data \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
USER 10001:10001
WORKDIR /data
EXPOSE 8000
# /health answers 200 (ok, or degraded: still serving) or 503 (no readable store); the
# standard library asks, no curl in the image.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:8000/health', timeout=8).status != 200)"]
ENTRYPOINT ["intervals-mirror"]
# Serving beyond loopback refuses to start without a token (INTERVALS_MIRROR_TOKEN or
# MCP_API_KEY); -v logs each background sync.
CMD ["-v", "serve", "--http", "--host", "0.0.0.0", "--port", "8000"]
