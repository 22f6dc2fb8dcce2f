package dev.conversa.notification.alerts;

import java.util.Map;

/**
 * Renders an alert e-mail: Spanish first, then English, plain text. The facts (session id and number, campaign
 * counters, webhook URL …) are listed as they are: these e-mails go to the tenant's own admins, so the session's
 * number is shown in full; it is never logged.
 */
final class AlertMessages {

    /** Subject and body of one e-mail. */
    record Rendered(String subject, String body) {
    }

    private static final Map<String, String[]> LABELS = Map.ofEntries(
            Map.entry("sessionId", new String[] {"Sesión", "Session"}),
            Map.entry("phoneNumber", new String[] {"Número", "Number"}),
            Map.entry("status", new String[] {"Estado", "Status"}),
            Map.entry("reason", new String[] {"Motivo", "Reason"}),
            Map.entry("reasonCode", new String[] {"Código", "Code"}),
            Map.entry("campaignId", new String[] {"Campaña", "Campaign"}),
            Map.entry("name", new String[] {"Nombre", "Name"}),
            Map.entry("total", new String[] {"Destinatarios", "Recipients"}),
            Map.entry("sent", new String[] {"Enviados", "Sent"}),
            Map.entry("delivered", new String[] {"Entregados", "Delivered"}),
            Map.entry("read", new String[] {"Leídos", "Read"}),
            Map.entry("failed", new String[] {"Fallidos", "Failed"}),
            Map.entry("skipped", new String[] {"Omitidos", "Skipped"}),
            Map.entry("conversationId", new String[] {"Conversación", "Conversation"}),
            Map.entry("subscriptionId", new String[] {"Webhook", "Webhook"}),
            Map.entry("url", new String[] {"URL", "URL"}),
            Map.entry("failures", new String[] {"Intentos fallidos seguidos", "Failed attempts in a row"}),
            Map.entry("lastError", new String[] {"Último error", "Last error"}),
            Map.entry("occurredAt", new String[] {"Fecha", "When"}));

    private AlertMessages() {
    }

    static Rendered render(AlertKind kind, String tenantId, Map<String, String> facts) {
        String subject = "[Conversa] " + kind.subjectEs() + " / " + kind.subjectEn();
        StringBuilder body = new StringBuilder();
        body.append(kind.subjectEs()).append(" (").append(tenantId).append(")\n\n");
        facts.forEach((key, value) -> body.append(label(key, 0)).append(": ").append(value).append('\n'));
        body.append("\nRecibe este aviso porque es destinatario de alertas de Conversa de su organización.\n");
        body.append("\n---\n\n");
        body.append(kind.subjectEn()).append(" (").append(tenantId).append(")\n\n");
        facts.forEach((key, value) -> body.append(label(key, 1)).append(": ").append(value).append('\n'));
        body.append("\nYou receive this alert as a Conversa alert recipient of your organisation.\n");
        return new Rendered(subject, body.toString());
    }

    private static String label(String key, int language) {
        String[] labels = LABELS.get(key);
        return labels == null ? key : labels[language];
    }
}
