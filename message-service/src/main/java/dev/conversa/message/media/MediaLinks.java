package dev.conversa.message.media;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Short-lived signed links to a media file: {@code /api/v1/media/{id}/content?expires=<epoch s>&signature=<…>},
 * where the signature is HMAC-SHA256 over {@code id + "." + expires} under {@code conversa.media.signing-key}
 * (Base64url, no padding). Anyone holding the link may fetch the file until it expires — which is what an
 * {@code <img src>} or WhatsApp's media-by-link needs; changing the id or the expiry breaks the signature.
 */
final class MediaLinks {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    MediaLinks(String signingKey, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.ttl = ttl;
        this.clock = clock;
    }

    SignedLink sign(UUID id) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return new SignedLink("/api/v1/media/" + id + "/content?expires=" + expires + "&signature="
                + signature(id, expires), Instant.ofEpochSecond(expires));
    }

    /** True when the signature is the one of this id and expiry and the expiry has not passed. */
    boolean verify(UUID id, long expires, @Nullable String signature) {
        if (signature == null || clock.instant().getEpochSecond() > expires) {
            return false;
        }
        return MessageDigest.isEqual(signature(id, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(UUID id, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] hmac = mac.doFinal((id + "." + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param url the path of the link, relative to the API's origin */
    record SignedLink(String url, Instant expiresAt) {
    }
}
