package dev.conversa.campaign.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ResultsCsvTest {

    @Test
    void valuesWithCommasQuotesOrLineBreaksAreQuotedWithQuotesDoubled() {
        assertThat(ResultsCsv.escape("plain")).isEqualTo("plain");
        assertThat(ResultsCsv.escape("Pérez, Ana")).isEqualTo("\"Pérez, Ana\"");
        assertThat(ResultsCsv.escape("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ResultsCsv.escape("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(ResultsCsv.escape("cr\rhere")).isEqualTo("\"cr\rhere\"");
    }

    @Test
    void aRowHasEveryColumnInHeaderOrderWithNullsEmpty() {
        ResultsCsv.Row row = new ResultsCsv.Row(UUID.randomUUID(), "+595981000001", "Ana, \"la jefa\"", "failed", 2,
                Instant.parse("2026-05-10T12:00:00Z"), null, null, Instant.parse("2026-05-10T12:05:00Z"), 131026,
                "not on WhatsApp", null);

        assertThat(ResultsCsv.header()).isEqualTo("phone,name,status,attempt,sent_at,delivered_at,read_at,failed_at,"
                + "error_code,failure_reason,skip_reason\r\n");
        assertThat(ResultsCsv.lines(List.of(row))).isEqualTo("+595981000001,\"Ana, \"\"la jefa\"\"\",failed,2,"
                + "2026-05-10T12:00:00Z,,,2026-05-10T12:05:00Z,131026,not on WhatsApp,\r\n");
    }
}
