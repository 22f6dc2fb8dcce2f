package dev.conversa.simulator.core;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/** Message ids shaped like WhatsApp's ({@code wamid.} + base64), unique within a simulator run. */
public final class WaMessageIds {

    private static final long RUN = new SecureRandom().nextLong();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private WaMessageIds() {
    }

    public static String next() {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(RUN).putLong(SEQUENCE.incrementAndGet());
        return "wamid." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
