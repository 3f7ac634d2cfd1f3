{{/*
The variables that only one service reads (each service's src/config.ts). Call with
(list $ "<service>" <service values>).
*/}}
{{- define "tributary.serviceEnv" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $svc := index . 2 -}}
- name: PORT
  value: {{ $svc.port | quote }}
# Every interface: the probes and the Service reach the pod's IP.
- name: HOST
  value: "0.0.0.0"
{{- if has $name (list "projector" "scheduler" "webhook-gateway") }}
{{ include "tributary.databaseEnv" $root }}
{{- end }}
{{- if eq $name "ingest-repcard" }}
- name: REPCARD_API_URL
  value: {{ $root.Values.repcard.apiUrl | quote }}
{{ include "tributary.secretEnv" (list $root "REPCARD_API_KEY" false) }}
{{- end }}
{{- if eq $name "ingest-curagenesis" }}
- name: CURAGENESIS_API_URL
  value: {{ $root.Values.curagenesis.apiUrl | quote }}
{{ include "tributary.secretEnv" (list $root "CURAGENESIS_API_KEY" false) }}
{{- end }}
{{- if eq $name "webhook-gateway" }}
- name: INTERNAL_PORT
  value: {{ $svc.internalPort | quote }}
{{ include "tributary.secretEnv" (list $root "CURAGENESIS_WEBHOOK_SECRET" false) }}
{{- end }}
{{- if eq $name "scheduler" }}
- name: SCHEDULE_LEADER_LEASE_SECONDS
  value: {{ $svc.leaseSeconds | default 10 | quote }}
{{ include "tributary.secretEnv" (list $root "ADMIN_PASSWORD" false) }}
{{ include "tributary.secretEnv" (list $root "CRON_SECRET" true) }}
{{ include "tributary.secretEnv" (list $root "ADMIN_TOKEN" true) }}
{{- end }}
{{- range $key, $value := $svc.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The port that serves /healthz, /readyz and /metrics: the gateway's internal one, else the service's. */}}
{{- define "tributary.probePort" -}}
{{- if (index . 1).internalPort -}}internal{{- else -}}http{{- end -}}
{{- end -}}
