package dev.conversa.session.cloudwebhook;

import java.util.List;

import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;

/** What one webhook POST carried, in the order Meta listed it. */
record CloudWebhookPayload(List<MessageReceived> messages, List<MessageStatusChanged> statuses) {
}
