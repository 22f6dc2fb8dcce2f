package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void idsOrderByMillisThenSequenceNotAsText() {
        List<StreamId> ids = new ArrayList<>(List.of(StreamId.of("1700000000010-0"), StreamId.of("1700000000002-11"),
                StreamId.of("1700000000002-9"), StreamId.of("999999999999-5")));
        Collections.sort(ids);
        assertThat(ids).extracting(StreamId::toString)
                .containsExactly("999999999999-5", "1700000000002-9", "1700000000002-11", "1700000000010-0");
        assertThat(StreamId.of("5-2").isAfter(StreamId.of("5-1"))).isTrue();
        assertThat(StreamId.of("5-1").isAfter(StreamId.of("5-1"))).isFalse();
    }

    @Test
    void nextIsTheSmallestIdAfter() {
        assertThat(StreamId.of("5-1").next()).isEqualTo(StreamId.of("5-2"));
        assertThat(new StreamId(5, Long.MAX_VALUE).next()).isEqualTo(StreamId.of("6-0"));
        assertThat(StreamId.ZERO.next().isAfter(StreamId.ZERO)).isTrue();
    }

    @Test
    void parseRejectsWhatIsNotAnEntryId() {
        for (String text : List.of("", "-", "12", "12-", "-3", "a-1", "1-b", "1-2-3", "-1-2",
                "99999999999999999999999-1", "00000000000000000000000000000000000000000000000001-1")) {
            assertThat(StreamId.parse(text)).as(text).isEmpty();
        }
        assertThat(StreamId.parse("1700000000000-0")).contains(new StreamId(1_700_000_000_000L, 0));
        assertThat(StreamId.of("12-3").toString()).isEqualTo("12-3");
    }
}
