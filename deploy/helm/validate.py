"""Validates every object of the rendered manifests given as arguments.

Kubernetes kinds: kubernetes-validate (the Kubernetes OpenAPI schemas, strict: unknown fields are
errors). The Prometheus Operator kinds, which it has no schema for: schemas/monitoring.coreos.com-v1.json.
Any other kind without a schema is an error, so nothing rendered goes unchecked.
Exit 0 when every object validates; 1 otherwise. Prints one line per object.
"""
import json
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest the package knows.
KUBERNETES_VERSIONS = ("1.27.0", kubernetes_validate.latest_version())
CRDS = json.loads((Path(__file__).parent / "schemas" / "monitoring.coreos.com-v1.json").read_text())


def crd_errors(obj):
    schema = dict(CRDS[obj["kind"]], definitions=CRDS["definitions"])
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(obj)]


def kubernetes_errors(obj, version):
    try:
        kubernetes_validate.validate(obj, version, strict=True)
        return []
    except kubernetes_validate.ValidationError as e:
        return [f"Kubernetes {version}: {'.'.join(map(str, e.path))}: {e.message}"]
    except kubernetes_validate.SchemaNotFoundError as e:
        return [f"Kubernetes {version}: no schema: {e}"]


def main(files):
    failed = 0
    count = 0
    for file in files:
        for obj in yaml.safe_load_all(Path(file).read_text()):
            if not obj:
                continue
            count += 1
            what = f"{file}: {obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
            if obj.get("apiVersion") == "monitoring.coreos.com/v1" and obj.get("kind") in CRDS:
                errors = crd_errors(obj)
            else:
                errors = [e for version in KUBERNETES_VERSIONS for e in kubernetes_errors(obj, version)]
            if errors:
                failed += 1
                print(f"INVALID {what}")
                for line in errors:
                    print(f"    {line}")
            else:
                print(f"ok      {what}")
    print(f"{count - failed} valid, {failed} invalid")
    return 1 if failed or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
