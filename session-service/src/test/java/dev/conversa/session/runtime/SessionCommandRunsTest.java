package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.MessageType;

/** How a list of {@code wa.commands} records is cut for {@link SessionCommandHandler#handleAll}. */
class SessionCommandRunsTest {

    private static final UUID SESSION = UUID.randomUUID();

    @Test
    void consecutiveSendsFormOneRunAndEveryOtherCommandStandsAloneInRecordOrder() {
        EventEnvelope<Object> s1 = send("1");
        EventEnvelope<Object> s2 = send("2");
        EventEnvelope<Object> r1 = read("a");
        EventEnvelope<Object> r2 = read("b");
        EventEnvelope<Object> s3 = send("3");

        assertThat(SessionCommandHandler.runs(List.of(s1, s2, r1, r2, s3)))
                .containsExactly(List.of(s1, s2), List.of(r1), List.of(r2), List.of(s3));
    }

    @Test
    void aListOfSendsOnlyIsOneRunAndAnEmptyListNone() {
        EventEnvelope<Object> s1 = send("1");
        EventEnvelope<Object> s2 = send("2");

        assertThat(SessionCommandHandler.runs(List.of(s1, s2))).containsExactly(List.of(s1, s2));
        assertThat(SessionCommandHandler.runs(List.of())).isEmpty();
    }

    private static EventEnvelope<Object> send(String key) {
        return new EventEnvelope<>(metadata(EventTypes.MESSAGE_SEND_REQUESTED),
                new SendMessageRequested("t", SESSION, UUID.randomUUID(), key, "c", "+5491155551234",
                        MessageType.TEXT, "hola", null, null, null, null, SendPriority.BULK, "user:1", Instant.now()));
    }

    private static EventEnvelope<Object> read(String waId) {
        return new EventEnvelope<>(metadata(EventTypes.MESSAGE_READ_REQUESTED),
                new ReadRequested("t", SESSION, "+5491155551234", List.of(waId), "user:1", Instant.now()));
    }

    private static EventMetadata metadata(String type) {
        return new EventMetadata(UUID.randomUUID().toString(), type, "test", Instant.now(), SESSION.toString(), "t",
                SESSION.toString());
    }
}
