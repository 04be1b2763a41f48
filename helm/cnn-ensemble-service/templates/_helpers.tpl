{{- define "cnn.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cnn.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cnn.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "cnn.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Every pod of the release, both roles: what the Service and the ServiceMonitor select. */}}
{{- define "cnn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cnn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The pods of one role; takes (dict "root" . "role" "trainer"|"server"). */}}
{{- define "cnn.roleSelectorLabels" -}}
{{ include "cnn.selectorLabels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "cnn.roleLabels" -}}
{{ include "cnn.labels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{/* "true" when the role runs on GPUs: only trainers do, and only with gpu.enabled. */}}
{{- define "cnn.gpu" -}}
{{- if and .root.Values.gpu.enabled (eq .role "trainer") }}true{{ end -}}
{{- end -}}

{{/* The image of a role: the GPU build (tag + gpu.tagSuffix) for trainers on GPUs, else the CPU build. */}}
{{- define "cnn.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if include "cnn.gpu" . -}}{{- $tag = printf "%s%s" $tag .root.Values.gpu.tagSuffix -}}{{- end -}}
{{- printf "%s:%s" .root.Values.image.repository $tag -}}
{{- end -}}

{{- define "cnn.serverName" -}}
{{- printf "%s-server" (include "cnn.fullname" . | trunc 56 | trimSuffix "-") -}}
{{- end -}}

{{- define "cnn.claimName" -}}
{{- default (printf "%s-data" (include "cnn.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{/* Refuses the combinations that cannot work: several pods need PostgreSQL and a volume they all mount. */}}
{{- define "cnn.validate" -}}
{{- $several := "" -}}
{{- if gt (int .Values.replicaCount) 1 }}{{ $several = "replicaCount above 1" }}
{{- else if .Values.server.enabled }}{{ $several = "server.enabled" }}{{ end -}}
{{- if and $several (not .Values.postgres.enabled) -}}
{{- fail (printf "%s needs postgres.enabled: the embedded H2 database belongs to one pod" $several) -}}
{{- end -}}
{{- if and $several (not .Values.persistence.existingClaim) (not (has "ReadWriteMany" .Values.persistence.accessModes)) -}}
{{- fail (printf "%s needs persistence.accessModes: [ReadWriteMany] (or an existingClaim that every pod can mount): all pods share the datasets and checkpoints" $several) -}}
{{- end -}}
{{- end -}}

{{/*
The pod template of a role, shared by the trainer and server Deployments; takes (dict "root" . "role" ...).
Trainers run the job queue (cnn.jobs.enabled=true) on GPUs or CPUs; servers only answer predictions, on CPUs.
*/}}
{{- define "cnn.podTemplate" -}}
{{- $root := .root -}}
{{- $values := .root.Values -}}
{{- $gpu := include "cnn.gpu" . -}}
metadata:
  labels:
    {{- include "cnn.roleSelectorLabels" . | nindent 4 }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    {{- with $values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with $values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: {{ $root.Chart.Name }}
      image: {{ include "cnn.image" . | quote }}
      imagePullPolicy: {{ $values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
      env:
        - name: CNN_DATA_DIR
          value: /data
        - name: CNN_JOBS_ENABLED
          value: {{ eq .role "trainer" | quote }}
        - name: JDK_JAVA_OPTIONS
          value: {{ $values.javaOpts | quote }}
        {{- with $values.ompNumThreads }}
        - name: OMP_NUM_THREADS
          value: {{ . | quote }}
        {{- end }}
        {{- with $values.springProfiles }}
        - name: SPRING_PROFILES_ACTIVE
          value: {{ . | quote }}
        {{- end }}
        {{- if $values.security.apiKeysSecret }}
        - name: CNN_SECURITY_API_KEYS
          valueFrom:
            secretKeyRef:
              name: {{ $values.security.apiKeysSecret }}
              key: {{ $values.security.apiKeysKey }}
        {{- end }}
        {{- if $values.postgres.enabled }}
        - name: SPRING_DATASOURCE_URL
          value: {{ required "postgres.url is required with postgres.enabled" $values.postgres.url | quote }}
        - name: SPRING_DATASOURCE_USERNAME
          value: {{ $values.postgres.username | quote }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ default (printf "%s-postgres" (include "cnn.fullname" $root)) $values.postgres.existingSecret }}
              key: {{ $values.postgres.passwordKey }}
        {{- end }}
        {{- if $gpu }}
        - name: NVIDIA_VISIBLE_DEVICES
          value: all
        - name: NVIDIA_DRIVER_CAPABILITIES
          value: compute,utility
        {{- end }}
        {{- with $values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ $values.probes.startup.periodSeconds }}
        failureThreshold: {{ $values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ $values.probes.liveness.periodSeconds }}
        failureThreshold: {{ $values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /actuator/health/readiness
          port: http
        periodSeconds: {{ $values.probes.readiness.periodSeconds }}
        failureThreshold: {{ $values.probes.readiness.failureThreshold }}
      lifecycle:
        preStop:
          exec:
            command: ["sleep", "{{ $values.preStopSleepSeconds }}"]
      resources:
        {{- $resources := deepCopy (eq .role "server" | ternary $values.server.resources $values.resources) }}
        {{- if $gpu }}
        {{- $limits := default dict $resources.limits }}
        {{- $_ := set $limits "nvidia.com/gpu" $values.gpu.count }}
        {{- $_ := set $resources "limits" $limits }}
        {{- end }}
        {{- toYaml $resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
      volumeMounts:
        - name: data
          mountPath: /data
        - name: tmp
          mountPath: /tmp
        - name: config
          mountPath: /app/config
          readOnly: true
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: {{ include "cnn.claimName" $root }}
    - name: tmp
      emptyDir: {}
    - name: config
      configMap:
        name: {{ include "cnn.fullname" $root }}
  {{- $nodeSelector := $values.nodeSelector }}
  {{- if $gpu }}{{- $nodeSelector = merge (deepCopy $values.gpu.nodeSelector) $values.nodeSelector }}{{- end }}
  {{- with $nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $tolerations := $values.tolerations }}
  {{- if $gpu }}{{- $tolerations = concat $values.tolerations $values.gpu.tolerations }}{{- end }}
  {{- with $tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
