package dev.conversa.session.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;

class SendRequestsTest {

    @Test
    void textToAnE164NumberIsValid() {
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.TEXT, "hola", null, null, null,
                null))).isEmpty();
    }

    @Test
    void recipientWithoutPlusOrWithSeparatorsIsRefused() {
        assertThat(SendRequests.invalid(command("5491155551234", MessageType.TEXT, "hola", null, null, null, null)))
                .hasValueSatisfying(why -> assertThat(why).contains("E.164"));
        assertThat(SendRequests.invalid(command("+54 9 11 5555-1234", MessageType.TEXT, "hola", null, null, null,
                null))).isPresent();
    }

    @Test
    void textMustBePresentAndWithinWhatsAppsLimit() {
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.TEXT, " ", null, null, null, null)))
                .isPresent();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.TEXT,
                "x".repeat(SendRequests.MAX_TEXT_LENGTH + 1), null, null, null, null)))
                .hasValueSatisfying(why -> assertThat(why).contains("4096"));
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.TEXT,
                "x".repeat(SendRequests.MAX_TEXT_LENGTH), null, null, null, null))).isEmpty();
    }

    @Test
    void eachTypeNeedsItsOwnPart() {
        MediaRef media = new MediaRef(null, "image/jpeg", null, "foto", "https://files.example.com/a.jpg");
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.IMAGE, null, null, null, null, null)))
                .isPresent();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.IMAGE, null, media, null, null,
                null))).isEmpty();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.TEMPLATE, null, null,
                new TemplateRef("promo", "es_MX", List.of("Ana")), null, null))).isEmpty();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.LOCATION, null, null, null,
                new Location(-34.6, -58.38, "Obelisco", null), null))).isEmpty();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.REACTION, "👍", null, null, null,
                null))).hasValueSatisfying(why -> assertThat(why).contains("replyToWaMessageId"));
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.REACTION, "👍", null, null, null,
                "wamid.X"))).isEmpty();
        assertThat(SendRequests.invalid(command("+5491155551234", MessageType.CONTACTS, null, null, null, null,
                null))).hasValueSatisfying(why -> assertThat(why).contains("not supported"));
    }

    private static SendMessageRequested command(String to, MessageType type, String text, MediaRef media,
            TemplateRef template, Location location, String replyTo) {
        return new SendMessageRequested("tenant", UUID.randomUUID(), UUID.randomUUID(), "key", "corr", to, type,
                text, media, template, location, replyTo, SendPriority.CONVERSATIONAL, "user:1", Instant.now());
    }
}
