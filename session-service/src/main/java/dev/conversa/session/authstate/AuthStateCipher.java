package dev.conversa.session.authstate;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per write and the session id as associated data, so a ciphertext copied
 * onto another session's row does not decrypt. Pure CPU work; safe on any thread.
 */
public final class AuthStateCipher {

    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What is stored: the key that encrypted it, the nonce, and ciphertext with its tag. */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }

    private final String activeKeyId;
    private final Map<String, SecretKey> keys = new HashMap<>();

    public AuthStateCipher(AuthStateProperties properties) {
        properties.keys().forEach((id, encoded) -> {
            if (encoded != null && !encoded.isBlank()) {
                keys.put(id, key(id, encoded));
            }
        });
        if (!keys.containsKey(properties.activeKeyId())) {
            throw new IllegalStateException("The active auth-state key '" + properties.activeKeyId()
                    + "' is not set: give conversa.session.auth-state.keys." + properties.activeKeyId()
                    + " (e.g. AUTH_STATE_KEY) a base64 256-bit key");
        }
        this.activeKeyId = properties.activeKeyId();
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public Sealed seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, nonce, cipher.doFinal(plaintext));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt auth state", e);
        }
    }

    public byte[] open(Sealed sealed, String associatedData) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new AuthStateUnreadableException("Auth state was encrypted with key '" + sealed.keyId()
                    + "', which is no longer configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(sealed.ciphertext());
        }
        catch (GeneralSecurityException e) {
            throw new AuthStateUnreadableException("Auth state does not authenticate (tampered or wrong key)", e);
        }
    }

    /** A new random key, base64-encoded, for operators: {@code conversa.session.auth-state.keys.<id>}. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static SecretKey key(String id, String encoded) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.strip());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalStateException("Auth-state key '" + id + "' is not base64", e);
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException("Auth-state key '" + id + "' must be 256 bits, is " + bytes.length * 8);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
