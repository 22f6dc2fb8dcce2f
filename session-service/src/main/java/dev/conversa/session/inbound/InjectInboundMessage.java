package dev.conversa.session.inbound;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A text message as a transport would receive it; body of the internal injection endpoint. */
record InjectInboundMessage(
        @NotBlank @Size(max = 128) String waMessageId,
        @NotBlank @Pattern(regexp = "^\\+[1-9][0-9]{6,14}$", message = "must be an E.164 number such as +5491155551234")
        String from,
        @Nullable @Size(max = 256) String contactName,
        @NotBlank @Size(max = 4096) String text,
        @Nullable Instant timestamp) {
}
