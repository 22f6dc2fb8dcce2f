package dev.conversa.session.sessions;

import org.jspecify.annotations.Nullable;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/sessions}.
 *
 * @param name      unique within the tenant
 * @param transport {@code linked} or {@code cloud-api}
 * @param cloudApi  required for {@code cloud-api}, refused for {@code linked}
 */
record CreateSessionRequest(
        @NotBlank @Size(max = 100) String name,
        @NotBlank String transport,
        @Valid @Nullable CloudApiSettings cloudApi) {
}
