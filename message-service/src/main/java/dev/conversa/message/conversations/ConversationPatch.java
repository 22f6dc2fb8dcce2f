package dev.conversa.message.conversations;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PATCH /api/v1/conversations/{id}}: the fields to change, at least one.
 *
 * @param status     {@code open}, {@code pending} or {@code closed}
 * @param botEnabled whether the bot answers the conversation
 */
record ConversationPatch(@Nullable String status, @Nullable Boolean botEnabled) {
}
