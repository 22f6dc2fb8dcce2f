package dev.conversa.simulator.linked;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/** Random identifiers of the linked-device protocol. */
final class Secrets {

    /** Crockford's base32: digits and letters without I, L, O, U. */
    static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    private Secrets() {
    }

    static String deviceId() {
        return "dev-" + random(12);
    }

    static String secret() {
        return random(32);
    }

    /** Shaped like WhatsApp's refs ({@code 2@…}). */
    static String qrRef() {
        return "2@" + random(24);
    }

    /** 8 Crockford base32 characters from 5 random bytes, as Baileys makes them. */
    static String pairingCode() {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        long bits = 0;
        for (byte b : bytes) {
            bits = (bits << 8) | (b & 0xff);
        }
        char[] code = new char[8];
        for (int i = 7; i >= 0; i--) {
            code[i] = CROCKFORD.charAt((int) (bits & 31));
            bits >>>= 5;
        }
        return new String(code);
    }

    static String connectionId() {
        return "conn-" + Long.toString(CONNECTIONS.incrementAndGet(), 36);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return BASE64.encodeToString(value);
    }
}
