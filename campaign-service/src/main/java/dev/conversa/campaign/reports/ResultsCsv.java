package dev.conversa.campaign.reports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** The CSV export of a campaign's per-recipient results: RFC 4180 quoting, CRLF line ends, UTF-8. */
final class ResultsCsv {

    static final List<String> COLUMNS = List.of("phone", "name", "status", "attempt", "sent_at", "delivered_at",
            "read_at", "failed_at", "error_code", "failure_reason", "skip_reason");

    private ResultsCsv() {
    }

    /** One recipient as exported; {@code id} is the keyset position, not a column. */
    record Row(UUID id, String phone, @Nullable String name, String status, int attempt, @Nullable Instant sentAt,
            @Nullable Instant deliveredAt, @Nullable Instant readAt, @Nullable Instant failedAt,
            @Nullable Integer errorCode, @Nullable String failureReason, @Nullable String skipReason) {
    }

    static String header() {
        return String.join(",", COLUMNS) + "\r\n";
    }

    static String lines(List<Row> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 96);
        for (Row row : rows) {
            append(out, row);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Row row) {
        field(out, row.phone()).append(',');
        field(out, row.name()).append(',');
        field(out, row.status()).append(',');
        out.append(row.attempt()).append(',');
        field(out, row.sentAt()).append(',');
        field(out, row.deliveredAt()).append(',');
        field(out, row.readAt()).append(',');
        field(out, row.failedAt()).append(',');
        field(out, row.errorCode()).append(',');
        field(out, row.failureReason()).append(',');
        field(out, row.skipReason()).append("\r\n");
    }

    private static StringBuilder field(StringBuilder out, @Nullable Object value) {
        return value == null ? out : out.append(escape(value.toString()));
    }

    /** Quotes a value holding a comma, a quote or a line break, doubling its quotes; others stay as they are. */
    static String escape(String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
