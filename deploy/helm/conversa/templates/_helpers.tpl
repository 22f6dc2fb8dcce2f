{{/* Release-scoped base name: "<release>-conversa", or the release name when it already holds "conversa". */}}
{{- define "conversa.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; per-service objects add conversa.selectorLabels, the others conversa.instanceLabel. */}}
{{- define "conversa.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: conversa
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one service; call with (dict "root" $ "name" "gateway"). */}}
{{- define "conversa.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}-service
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "conversa.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if $img.registry -}}
{{- printf "%s/%s/%s-service:%s" $img.registry $img.repositoryPrefix .name $tag -}}
{{- else -}}
{{- printf "%s/%s-service:%s" $img.repositoryPrefix .name $tag -}}
{{- end -}}
{{- end -}}

{{- define "conversa.instanceLabel" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
