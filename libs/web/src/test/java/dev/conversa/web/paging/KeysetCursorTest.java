package dev.conversa.web.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.conversa.web.problem.ApiException;

class KeysetCursorTest {

    private static final UUID ID = UUID.fromString("01900000-0000-7000-8000-000000000001");

    @Test
    void roundTripsTimeToTheMicrosecondAndId() {
        KeysetCursor cursor = new KeysetCursor("c1", Instant.parse("2026-12-04T10:15:30.123456Z"), ID);

        assertThat(KeysetCursor.decode("c1", cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void roundTripsACursorWithoutTime() {
        KeysetCursor cursor = KeysetCursor.afterId("w1", ID);

        assertThat(KeysetCursor.decodeId("w1", cursor.encode())).isEqualTo(ID);
        assertThat(KeysetCursor.decode("w1", cursor.encode()).at()).isNull();
    }

    @Test
    void noCursorMeansTheFirstPage() {
        assertThat(KeysetCursor.decode("c1", null)).isNull();
        assertThat(KeysetCursor.decodeId("c1", "")).isNull();
    }

    @Test
    void cursorOfAnotherListingIsRefusedWith400() {
        String ofMessages = new KeysetCursor("m1", Instant.now(), ID).encode();

        assertThatThrownBy(() -> KeysetCursor.decode("c1", ofMessages))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void garbageIsRefusedWith400() {
        String notANumber = Base64.getUrlEncoder().encodeToString("c1:x:y".getBytes(StandardCharsets.UTF_8));

        for (String value : new String[] {"%%%", notANumber, "YWJj"}) {
            assertThatThrownBy(() -> KeysetCursor.decode("c1", value)).isInstanceOf(ApiException.class);
        }
    }
}
