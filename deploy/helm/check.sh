#!/usr/bin/env bash
# Checks the Helm chart: `helm lint`, `helm template` with the default values and with each example
# values file, and every rendered object validated (validate.py: the Kubernetes schemas of the
# kubernetes-validate package, strict; the Prometheus Operator kinds by schemas/). Installs what it
# lacks: helm from the Go module proxy (into GOPATH/bin, kept between runs), kubernetes-validate from
# PyPI into a virtualenv (TRIBUTARY_HELM_VENV, default ~/.cache/tributary/helm-venv).
# Usage: deploy/helm/check.sh   (from anywhere; exit 0 when all passes)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chart="$here/tributary"
HELM_VERSION=v3.19.0
KUBERNETES_VALIDATE_VERSION=1.37.0
# Rendered for the oldest Kubernetes the chart supports (Chart.yaml kubeVersion); validate.py checks
# the objects against that version's schemas and the newest the package knows.
KUBE_VERSION=1.27.0

helm_bin="$(command -v helm || true)"
if [[ -z "$helm_bin" ]]; then
  gobin="$(go env GOPATH)/bin"
  if [[ ! -x "$gobin/helm" ]]; then
    command -v go >/dev/null || { echo "[helm] neither helm nor go is installed" >&2; exit 1; }
    echo "[helm] go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (once; kept in $gobin)"
    go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  fi
  helm_bin="$gobin/helm"
fi

venv="${TRIBUTARY_HELM_VENV:-$HOME/.cache/tributary/helm-venv}"
if ! "$venv/bin/python" -c "import kubernetes_validate" 2>/dev/null; then
  echo "[helm] pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "[helm] $("$helm_bin" version --short)"

# Every template switched on (monitoring included), so that all of them are linted and validated.
on=(--set serviceMonitor.enabled=true --set prometheusRule.enabled=true)
kv=(--kube-version "$KUBE_VERSION")
"$helm_bin" lint --strict "${kv[@]}" "$chart"
"$helm_bin" lint --strict "${kv[@]}" "$chart" "${on[@]}"

rendered=()
"$helm_bin" template tributary "$chart" "${kv[@]}" --namespace tributary >"$out/default.yaml"
rendered+=("$out/default.yaml")
"$helm_bin" template tributary "$chart" "${kv[@]}" --namespace tributary "${on[@]}" >"$out/default-monitoring.yaml"
rendered+=("$out/default-monitoring.yaml")
for values in "$chart"/examples/*.values.yaml; do
  name="$(basename "$values" .values.yaml)"
  "$helm_bin" lint --strict "${kv[@]}" "$chart" -f "$values"
  "$helm_bin" template tributary "$chart" "${kv[@]}" --namespace tributary -f "$values" >"$out/$name.yaml"
  rendered+=("$out/$name.yaml")
done

# Scheduler replicas elect their leader (ADR 0019): three of them render, with the lease variable.
"$helm_bin" template tributary "$chart" "${kv[@]}" --namespace tributary \
  --set services.scheduler.replicas=3 --set services.scheduler.leaseSeconds=6 >"$out/scheduler-replicas.yaml"
grep -q 'SCHEDULE_LEADER_LEASE_SECONDS' "$out/scheduler-replicas.yaml" ||
  { echo "[helm] the scheduler has no SCHEDULE_LEADER_LEASE_SECONDS" >&2; exit 1; }
rendered+=("$out/scheduler-replicas.yaml")

"$venv/bin/python" "$here/validate.py" "${rendered[@]}"
