package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;

/**
 * The inbound traffic of {@link MessageIngestBenchmark}: {@code conversations} contacts spread over {@code sessions}
 * sessions of {@code tenants} tenants; each event is a text message (~60 characters, Spanish and English, so the
 * search column has words to stem) from a contact chosen at random, with a WhatsApp id unique in the run. Records
 * look like session-service's: {@code conversa.message.received.v1} as a CloudEvent in binary mode (the {@code ce_*}
 * attributes as UTF-8 headers, the JSON payload as the value), key = sessionId.
 */
final class IngestEvents {

    private static final String[] PHRASES = {
            "Hola, quisiera saber el estado de mi pedido número %d, gracias",
            "Hi, I would like to change the delivery address of order %d",
            "Buenas tardes, ¿tienen stock del producto %d en talla M?",
            "Can you send me the invoice for purchase %d please? Thanks!",
            "El paquete %d llegó dañado, ¿cómo hago la devolución?",
            "Is the promotion still valid for item %d this weekend?",
    };

    private final CloudEventCodec codec = new CloudEventCodec();
    private final SplittableRandom random;
    private final UUID[] sessions;
    private final String[] sessionKeys;
    private final String[] sessionTenants;
    private final String[] phones;
    private final int[] contactSession;
    private final String runId;
    private long sequence;

    IngestEvents(int conversations, int sessions, int tenants, long seed) {
        this.random = new SplittableRandom(seed);
        this.sessions = new UUID[sessions];
        this.sessionKeys = new String[sessions];
        this.sessionTenants = new String[sessions];
        for (int i = 0; i < sessions; i++) {
            this.sessions[i] = UUID.randomUUID();
            this.sessionKeys[i] = this.sessions[i].toString();
            this.sessionTenants[i] = "bench-tenant-" + (i % tenants);
        }
        this.phones = new String[conversations];
        this.contactSession = new int[conversations];
        for (int i = 0; i < conversations; i++) {
            phones[i] = "+5491155" + String.format("%06d", i);
            contactSession[i] = i % sessions;
        }
        byte[] id = new byte[4];
        new SecureRandom().nextBytes(id);
        this.runId = java.util.HexFormat.of().formatHex(id).toUpperCase();
    }

    /** The next inbound message: a random contact, a new WhatsApp id. */
    MessageReceived next() {
        int contact = random.nextInt(phones.length);
        int session = contactSession[contact];
        long n = sequence++;
        Instant now = Instant.now();
        String text = PHRASES[(int) (n % PHRASES.length)].formatted(100000 + random.nextInt(900000));
        return new MessageReceived(sessionTenants[session], sessions[session],
                "3EB0" + runId + String.format("%012X", n), phones[contact], "Contacto " + contact,
                MessageType.TEXT, text, null, null, null, null, null, now, now);
    }

    /** A record as session-service would produce it for {@code message}. */
    ProducerRecord<byte[], byte[]> record(MessageReceived message) {
        String key = message.sessionId().toString();
        EventMetadata metadata = EventMetadata.of(EventTypes.MESSAGE_RECEIVED, "/session-service", key,
                message.tenantId(), key);
        Message<byte[]> encoded = codec.encode(metadata, message, key);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.WA_MESSAGE_INBOUND,
                key.getBytes(StandardCharsets.UTF_8), encoded.getPayload());
        encoded.getHeaders().forEach((name, value) -> {
            if (name.startsWith("ce_") && value instanceof String text) {
                record.headers().add(name, text.getBytes(StandardCharsets.UTF_8));
            }
        });
        return record;
    }

    int conversations() {
        return phones.length;
    }

    int sessions() {
        return sessions.length;
    }

    /** Mean size of a record's value (the JSON payload) over a sample, in bytes. */
    double meanValueBytes() {
        IngestEvents sample = new IngestEvents(phones.length, sessions.length, 1, 7);
        long total = 0;
        for (int i = 0; i < 200; i++) {
            total += sample.record(sample.next()).value().length;
        }
        return total / 200.0;
    }
}
