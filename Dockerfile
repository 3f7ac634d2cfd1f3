# syntax=docker/dockerfile:1
#
# The production image of every Tributary process: the five services (scheduler, webhook-gateway,
# ingest-repcard, ingest-curagenesis, projector), the migration command, the two API simulators and
# the `tributary` CLI, each compiled by `npm run build` into one JavaScript file dist/<name>/main.js
# with its dependencies inside. The runtime stage holds Node.js and dist/ only: no node_modules, no
# TypeScript, no dev dependencies, no npm; it runs as UID 1000, one Node.js process per container.
#
#   docker build -t tributary .                                        # one image for all
#   docker run --rm -e SERVICE=projector -e KAFKA_BROKERS=... tributary   # a service by SERVICE
#   docker run --rm tributary migrate                                  # any bundle by name
#   docker build --build-arg SERVICE=projector -t tributary/projector .  # SERVICE as the default
#
# Kubernetes (deploy/helm/tributary) runs `node dist/<name>/main.js` directly.

ARG NODE_VERSION=24

# --- manifests: only the package files, so that `npm ci` below is cached until one changes ----------
# Every workspace's package.json is picked up by the glob (libs/*, services/*, tools/*, as in the
# root package.json), so a new workspace needs no edit here.
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

# --- deps: the lock file's exact tree (dev dependencies included: esbuild and tsx build) -----------
# --ignore-scripts: no dependency runs code at install. The build needs none of their scripts
# (esbuild's binary comes as its platform package), and the `node` dev dependency, which pins
# Node.js for npm scripts on machines with an older one, is not wanted here: the image has its own.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

# --- build: every bundle into dist/ (dist/files: migrations and other files read at run time) -----
# Then a smoke test: the projector bundle loads and, given no configuration, refuses to start with
# exit code 78 (any other code, e.g. a module missing from the bundle, fails the build).
FROM deps AS build
COPY tsconfig*.json ./
COPY libs ./libs
COPY services ./services
COPY tools ./tools
RUN node --import tsx tools/build/src/main.ts \
 && node dist/projector/main.js >/dev/null 2>&1 </dev/null; test $? -eq 78

# --- runtime --------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# npm, npx and corepack are not needed to run a bundle.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
# package.json marks /app as the root the services look for (.stack/env, absent here: the
# environment configures them).
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/tributary-entrypoint
# Files stay owned by root, read-only for the process. UID/GID 1000 (the image's `node` user),
# numeric so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000

# Which bundle runs when no command is given (dist/${SERVICE}/main.js). Kept last so that all images
# share every layer above.
ARG SERVICE=""
ENV SERVICE=${SERVICE}

# Every service answers /healthz on $PORT (the webhook gateway also on INTERNAL_PORT). Node's own
# fetch: the slim image has neither curl nor wget.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || '3000') + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["tributary-entrypoint"]
