package dev.conversa.media.storage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Object keys: {@code <tenant>/<id>}. A tenant id made only of letters, digits, {@code .}, {@code _} and {@code -}
 * is used as is; any other is hex-encoded behind {@code x-}, so a key never climbs out of its tenant's prefix and
 * means the same on a filesystem and in a bucket.
 */
public final class MediaKeys {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*/[0-9a-f-]{36}");

    private MediaKeys() {
    }

    public static String of(String tenantId, UUID id) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        return tenantPrefix(tenantId) + "/" + id;
    }

    static String tenantPrefix(String tenantId) {
        if (SAFE.matcher(tenantId).matches() && !tenantId.startsWith("x-")) {
            return tenantId;
        }
        StringBuilder hex = new StringBuilder("x-");
        for (byte b : tenantId.getBytes(StandardCharsets.UTF_8)) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** Refuses anything {@link #of} cannot have made (path traversal, absolute paths …). */
    public static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a media key: " + key);
        }
        return key;
    }
}
