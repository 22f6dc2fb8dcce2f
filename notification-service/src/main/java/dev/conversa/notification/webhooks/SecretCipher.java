package dev.conversa.notification.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts subscription secrets at rest: AES-256-GCM, a random 96-bit nonce per write and the subscription id as
 * associated data, so a ciphertext copied onto another subscription's row does not decrypt. Stored as
 * {@code version(1) | nonce(12) | ciphertext+tag}. New writes use the active key; the previous keys still decrypt,
 * so a key is rotated by making a new one active and keeping the old one in {@code previous-secret-keys} until every
 * subscription was rewritten. Pure CPU work, safe on any thread.
 */
final class SecretCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey active;
    private final List<SecretKey> all = new ArrayList<>();

    SecretCipher(String activeKey, List<String> previousKeys) {
        this.active = key("secret-key", activeKey);
        all.add(active);
        for (int i = 0; i < previousKeys.size(); i++) {
            if (previousKeys.get(i) != null && !previousKeys.get(i).isBlank()) {
                all.add(key("previous-secret-keys[" + i + "]", previousKeys.get(i)));
            }
        }
    }

    byte[] seal(String secret, UUID subscriptionId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, active, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(subscriptionId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a webhook secret", e);
        }
    }

    String open(byte[] stored, UUID subscriptionId) {
        if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new IllegalStateException("Webhook secret of " + subscriptionId + " is not in a known format");
        }
        GCMParameterSpec nonce = new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES);
        for (SecretKey key : all) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, nonce);
                cipher.updateAAD(aad(subscriptionId));
                byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
                return new String(plain, StandardCharsets.UTF_8);
            }
            catch (AEADBadTagException wrongKey) {
                // try the next key
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot decrypt a webhook secret", e);
            }
        }
        throw new IllegalStateException("Webhook secret of " + subscriptionId
                + " does not decrypt with any configured key (tampered, or its key was removed)");
    }

    /** A new secret for a subscription: 32 random bytes, base64url, prefixed so people recognise it. */
    static String newSecret() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] aad(UUID subscriptionId) {
        return subscriptionId.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static SecretKey key(String name, String encoded) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.strip());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalStateException("conversa.notification.webhooks." + name + " is not base64", e);
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException("conversa.notification.webhooks." + name + " must be 256 bits, is "
                    + bytes.length * 8);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
