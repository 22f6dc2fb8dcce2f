package dev.conversa.campaign.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A contact as the API shows it; its {@code ETag} is {@code version}. */
record Contact(UUID id, String phone, @Nullable String name, Map<String, Object> attributes, List<String> groups,
        List<String> tags, boolean optedOut, @Nullable Instant optedOutAt, @Nullable String optOutReason,
        long version, Instant createdAt, Instant updatedAt) {
}
