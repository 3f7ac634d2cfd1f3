#!/bin/sh
# Entrypoint of the Tributary image (see /Dockerfile). Each bundle is dist/<name>/main.js.
#   no arguments       -> the bundle named by $SERVICE (build arg or environment)
#   <name> [args...]   -> that bundle: a service, `migrate`, `sim-repcard`, `sim-curagenesis`, `cli`
#   anything else      -> run as given (e.g. `node -e ...`, `sh`)
# `exec`: node replaces this shell, so the container has one process, which receives SIGTERM directly
# and shuts down gracefully.
set -eu

bundles() { ls /app/dist | grep -v '^files$' | tr '\n' ' '; }

if [ "$#" -eq 0 ]; then
  if [ -z "${SERVICE:-}" ]; then
    echo "tributary-entrypoint: set SERVICE (build arg or environment) or name a bundle: $(bundles)" >&2
    exit 64
  fi
  set -- "$SERVICE"
fi

if [ -f "/app/dist/$1/main.js" ]; then
  name="$1"
  shift
  # Node flags (libs/config/src/node-flags.ts, ADR 0023): TRIBUTARY_NODE_FLAGS when set (even
  # empty), else the service's own (the projector's; none for the others). Node refuses heap flags
  # in NODE_OPTIONS.
  case "$name" in
    projector) own="--max-semi-space-size=16 --max-old-space-size=1792" ;;
    *) own="" ;;
  esac
  flags="${TRIBUTARY_NODE_FLAGS-$own}"
  # shellcheck disable=SC2086 # the flags are words
  exec node $flags "/app/dist/${name}/main.js" "$@"
fi

case "$1" in
  */* | node | sh | bash) exec "$@" ;;
esac
echo "tributary-entrypoint: no bundle named $1; known: $(bundles)" >&2
exit 64
