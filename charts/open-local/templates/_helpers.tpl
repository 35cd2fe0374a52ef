{{/*
Named templates shared by every manifest. The chart keeps to a small subset of Helm's template language
(values, if/else, range, with, include, toYaml/nindent/indent/quote/default/printf/dict/list) so that
charts/src/test can render it without a helm binary; see README "How the chart is tested".
*/}}

{{/* Labels on every object. */}}
{{- define "open-local.labels" -}}
app.kubernetes.io/name: {{ .Values.name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.customLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: include "open-local.selectorLabels" (dict "root" . "component" "agent") */}}
{{- define "open-local.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Values.name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one component's objects and pods. */}}
{{- define "open-local.componentLabels" -}}
{{ include "open-local.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The launcher flag choosing the log format (logging.format), the same for every open-local container. */}}
{{- define "open-local.logFormatArg" -}}
{{- if not (has .Values.logging.format (list "json" "text")) }}
{{- fail (printf "logging.format must be json or text, not %q" .Values.logging.format) }}
{{- end -}}
--log-format={{ .Values.logging.format }}
{{- end -}}

{{/* The open-local image. */}}
{{- define "open-local.image" -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* A CSI sidecar image: include "open-local.sidecarImage" (dict "root" . "sidecar" .Values.sidecars.provisioner) */}}
{{- define "open-local.sidecarImage" -}}
{{- printf "%s/%s:%s" .root.Values.sidecars.registry .sidecar.image .sidecar.tag -}}
{{- end -}}

{{/* Object names. */}}
{{- define "open-local.agentName" -}}{{ .Values.name }}-agent{{- end -}}
{{- define "open-local.csiControllerName" -}}{{ .Values.name }}-csi-controller{{- end -}}
{{- define "open-local.controllerName" -}}{{ .Values.name }}-controller{{- end -}}
{{- define "open-local.extenderName" -}}{{ .Values.name }}-scheduler-extender{{- end -}}
{{- define "open-local.schedulerName" -}}{{ .Values.name }}-scheduler{{- end -}}
{{- define "open-local.configName" -}}{{ .Values.name }}-config{{- end -}}
{{- define "open-local.schedulerConfigName" -}}{{ .Values.name }}-scheduler-config{{- end -}}
{{- define "open-local.nodeTlsSecret" -}}{{ .Values.name }}-node-api-server-tls{{- end -}}
{{- define "open-local.clientTlsSecret" -}}{{ .Values.name }}-node-api-client-tls{{- end -}}

{{/* The kubelet plugin directory of the driver on the host. */}}
{{- define "open-local.pluginDir" -}}{{ .Values.kubeletDir }}/plugins/{{ .Values.driver }}{{- end -}}

{{/*
Base URL of the extender. kube-scheduler appends "/<verb>" (predicates, priorities). A fixed ClusterIP is used
when set, because a host-network kube-scheduler cannot resolve cluster DNS.
*/}}
{{- define "open-local.extenderBaseURL" -}}
{{- if .Values.extender.service.clusterIP -}}
http://{{ .Values.extender.service.clusterIP }}:{{ .Values.extender.port }}
{{- else -}}
http://{{ include "open-local.extenderName" . }}.{{ .Release.Namespace }}.svc:{{ .Values.extender.port }}
{{- end -}}
{{- end -}}

{{/* Environment every open-local container gets: (dict "root" . "component" "extender"), the component's key
     under jvm.components adding its own JVM flags after jvm.opts. */}}
{{- define "open-local.env" -}}
{{- $root := .root -}}
{{- $extra := index $root.Values.jvm.components .component | default "" -}}
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: JAVA_OPTS
  value: {{ trim (printf "%s %s" $root.Values.jvm.opts $extra) | quote }}
{{- end -}}

{{/* Liveness and readiness probes of an open-local process on its HTTP port: (dict "root" . "port" 23100) */}}
{{- define "open-local.probes" -}}
livenessProbe:
  httpGet:
    path: {{ .root.Values.probes.livenessPath }}
    port: {{ .port }}
  initialDelaySeconds: 10
  periodSeconds: 20
  timeoutSeconds: 5
  failureThreshold: 6
readinessProbe:
  httpGet:
    path: {{ .root.Values.probes.readinessPath }}
    port: {{ .port }}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
startupProbe:
  httpGet:
    path: {{ .root.Values.probes.livenessPath }}
    port: {{ .port }}
  periodSeconds: 2
  failureThreshold: 60
{{- end -}}

{{/* Prometheus scrape annotations of a pod whose metrics are on the given port. */}}
{{- define "open-local.scrapeAnnotations" -}}
{{- if .root.Values.monitoring.scrapeAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: {{ .root.Values.probes.metricsPath }}
{{- end -}}
{{- end -}}

{{/* Security context of the non-root open-local containers (controller, extender, CSI controller). */}}
{{- define "open-local.restrictedSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
