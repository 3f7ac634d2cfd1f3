# syntax=docker/dockerfile:1
#
# One image recipe for every Tributary process: the five services (scheduler, webhook-gateway,
# ingest-repcard, ingest-curagenesis, projector) and the two API simulators. The TypeScript runs
# with tsx, as in development: there is no compile step.
#
#   docker build --build-arg SERVICE=projector -t tributary/projector .
#   docker run --rm -e KAFKA_BROKERS=... -e PORT=3004 tributary/projector
#   docker run --rm tributary/projector tsx tools/sim-repcard/src/main.ts   # any other command
#
# docker-compose.yml builds it once per service (only the last layer, SERVICE, differs).

ARG NODE_VERSION=20

# --- manifests: only the package.json files, so that `npm install` below is cached until one changes ---
# Every workspace's package.json is picked up by the glob (libs/*, services/*, tools/*, as in the
# root package.json), so a new workspace needs no edit here. BuildKit keys the COPY --from in the
# deps stage by content: a source-only change re-runs this cheap stage but not `npm install`.
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY libs ./libs
COPY services ./services
COPY tools ./tools
RUN set -eu; \
    mkdir -p /manifests; \
    cp package.json package-lock.json /manifests/; \
    for f in libs/*/package.json services/*/package.json tools/*/package.json; do \
      [ -f "$f" ] || continue; \
      mkdir -p "/manifests/$(dirname "$f")"; \
      cp "$f" "/manifests/$f"; \
    done

# --- deps: node_modules for the whole workspace (dev dependencies included: tsx is one) ---
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --include=dev --no-audit --no-fund

# --- runtime: node_modules plus the sources, run as the unprivileged `node` user ---
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
# node_modules/@tributary/* are symlinks to ../../libs/*, ../../services/*, ../../tools/*:
# they resolve once the sources below are in place.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig*.json ./
COPY libs ./libs
COPY services ./services
COPY tools ./tools
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/tributary-entrypoint
# The files stay owned by root (read-only for the process); tsx caches in /tmp.
USER node

# Which service this image runs when no command is given (services/${SERVICE}/src/main.ts).
# Kept last so that all images share every layer above.
ARG SERVICE=""
ENV SERVICE=${SERVICE}

# Every service answers /healthz on $PORT (set by docker-compose.yml; 3000 is the scheduler's).
# Node's own fetch: the slim image has neither curl nor wget.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || '3000') + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["tributary-entrypoint"]
