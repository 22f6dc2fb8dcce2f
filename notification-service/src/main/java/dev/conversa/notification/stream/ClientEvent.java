package dev.conversa.notification.stream;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * One event for browsers: its SSE id (the CloudEvent id), name ({@code message.new} …), tenant, the conversation it
 * concerns (for agent filtering) and the JSON data.
 */
public record ClientEvent(String id, String name, String tenantId, @Nullable String conversationId, JsonNode data) {
}
