package dev.conversa.session.authstate;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

/**
 * Keys for auth-state encryption ({@code conversa.session.auth-state.*}). {@code keys} maps a key id to a
 * base64-encoded 256-bit key; {@code active-key-id} encrypts new writes, every listed key still decrypts, so a key is
 * rotated by adding a new one, making it active, and re-encrypting ({@link AuthStateStore#reencrypt}) before the old
 * one is removed. Keys come from the environment or a secret, never from the repository.
 */
@Validated
@ConfigurationProperties("conversa.session.auth-state")
public record AuthStateProperties(@NotBlank String activeKeyId, @NotEmpty Map<String, String> keys) {
}
