package dev.conversa.simulator.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Download URLs of media, as Meta hands them out: {@code /media-download/{id}?expires=<epoch s>&sig=<hex>}, valid
 * for {@code simulator.media.url-ttl} (5 minutes). The signature is an HMAC over id and expiry with a key drawn at
 * start, so a URL cannot be forged or extended.
 */
@Component
public class SignedMediaUrls {

    public static final String PATH = "/media-download/";

    private final MediaProperties properties;
    private final Environment environment;
    private final Clock clock;
    private final byte[] key = new byte[32];

    public SignedMediaUrls(MediaProperties properties, Environment environment, Clock clock) {
        this.properties = properties;
        this.environment = environment;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /**
     * A fresh download URL for a media id.
     *
     * @param requestBase scheme, host and port the caller reached the simulator on ({@code null} outside a request,
     *                    e.g. for webhooks); {@code simulator.media.public-base-url} wins when set
     */
    public String downloadUrl(String mediaId, @Nullable URI requestBase) {
        long expires = clock.instant().plus(properties.urlTtl()).getEpochSecond();
        return base(requestBase) + PATH + mediaId + "?expires=" + expires + "&sig=" + signature(mediaId, expires);
    }

    /** Whether a URL's expiry and signature are genuine and not past. */
    public boolean isValid(String mediaId, @Nullable String expires, @Nullable String signature) {
        if (expires == null || signature == null) {
            return false;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        }
        catch (NumberFormatException e) {
            return false;
        }
        boolean genuine = MessageDigest.isEqual(signature(mediaId, expiresAt).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
        return genuine && clock.instant().isBefore(Instant.ofEpochSecond(expiresAt));
    }

    private String base(@Nullable URI requestBase) {
        if (StringUtils.hasText(properties.publicBaseUrl())) {
            return trimSlash(properties.publicBaseUrl());
        }
        if (requestBase != null) {
            return requestBase.getScheme() + "://" + requestBase.getRawAuthority();
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8090");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private String signature(String mediaId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((mediaId + ":" + expires).getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
