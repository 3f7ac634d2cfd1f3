#!/bin/sh
# Entrypoint of the Tributary image (see /Dockerfile).
#   no arguments -> run the service named by $SERVICE: tsx services/$SERVICE/src/main.ts
#   arguments    -> run them as given (e.g. `tsx tools/sim-repcard/src/main.ts`, `sh`)
# `exec` so that the process (tsx, which relays signals to the service) receives docker's
# SIGTERM directly and the service can shut down gracefully.
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

if [ -z "${SERVICE:-}" ]; then
  echo "tributary-entrypoint: set SERVICE (build arg or environment) to one of: $(ls services | tr '\n' ' ')" >&2
  exit 64
fi

main="services/${SERVICE}/src/main.ts"
if [ ! -f "$main" ]; then
  echo "tributary-entrypoint: SERVICE=${SERVICE} but there is no ${main}; known services: $(ls services | tr '\n' ' ')" >&2
  exit 64
fi

exec tsx "$main"
