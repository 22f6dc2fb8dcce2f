package dev.conversa.campaign.contacts;

import java.util.ArrayList;
import java.util.List;

/**
 * An incremental RFC 4180 reader: characters are pushed in as they are decoded, whole records come out through a
 * {@link RecordHandler}. Fields may be quoted ({@code "a, b"}), with doubled quotes ({@code ""}) and line breaks
 * inside; CR LF and LF end a record; blank lines are skipped. The delimiter ({@code ,} {@code ;} or TAB) is the one
 * the header line (the first record) holds most of, outside quotes; ties go to the comma.
 *
 * <p>Every record carries the physical line it starts on (1 = the header), so a multi-line quoted field does not
 * shift the line numbers of later records. A field longer than {@code maxFieldLength} is cut there and its record
 * flagged ({@link RecordHandler#record}'s {@code fieldTooLong}); a record with more than {@code maxColumns} fields
 * and a quote still open at the end of the file are fatal ({@link CsvFormatException}). One instance per file,
 * not thread-safe; the field list handed out is reused for the next record.
 */
final class CsvParser {

    /** Receives each record, in file order. */
    interface RecordHandler {
        void record(List<String> fields, long line, boolean fieldTooLong);
    }

    static final int MAX_HEADER_CHARS = 64 * 1024;
    private static final char[] CANDIDATES = {',', ';', '\t'};

    private final RecordHandler handler;
    private final int maxColumns;
    private final int maxFieldLength;

    private char delimiter;
    private final StringBuilder headerLine = new StringBuilder();
    private final StringBuilder field = new StringBuilder(64);
    private final List<String> fields = new ArrayList<>();
    private boolean inQuotes;
    private boolean afterQuote;
    private boolean fieldQuoted;
    private boolean tooLong;
    private long line = 1;
    private long recordLine = 1;

    CsvParser(RecordHandler handler, int maxColumns, int maxFieldLength) {
        this.handler = handler;
        this.maxColumns = maxColumns;
        this.maxFieldLength = maxFieldLength;
    }

    /** The delimiter in use; 0 until the header line was seen. */
    char delimiter() {
        return delimiter;
    }

    void feed(char[] chars, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (delimiter == 0) {
            i = bufferHeader(chars, offset, end);
            if (delimiter == 0) {
                return;
            }
        }
        parse(chars, i, end);
    }

    void feed(CharSequence text) {
        char[] chars = text.toString().toCharArray();
        feed(chars, 0, chars.length);
    }

    /** End of input: the last record (without a final line break) is emitted; an open quote is fatal. */
    void finish() {
        if (delimiter == 0) {
            detectDelimiter();
            char[] header = headerLine.toString().toCharArray();
            headerLine.setLength(0);
            parse(header, 0, header.length);
        }
        if (inQuotes) {
            throw new CsvFormatException(recordLine, "a quoted field opened on line " + recordLine
                    + " is not closed at the end of the file");
        }
        if (field.length() > 0 || !fields.isEmpty() || fieldQuoted) {
            endField();
            endRecord();
        }
    }

    /** Keeps characters until the header line is complete, then detects the delimiter and parses what it kept. */
    private int bufferHeader(char[] chars, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = chars[i];
            headerLine.append(c);
            if (c == '\n' && balancedQuotes(headerLine)) {
                detectDelimiter();
                char[] header = headerLine.toString().toCharArray();
                headerLine.setLength(0);
                parse(header, 0, header.length);
                return i + 1;
            }
            if (headerLine.length() > MAX_HEADER_CHARS) {
                throw new CsvFormatException(1, "the header line is longer than " + MAX_HEADER_CHARS + " characters");
            }
        }
        return end;
    }

    private static boolean balancedQuotes(CharSequence text) {
        int quotes = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quotes++;
            }
        }
        return quotes % 2 == 0;
    }

    private void detectDelimiter() {
        int best = 0;
        char chosen = ',';
        for (char candidate : CANDIDATES) {
            int count = 0;
            boolean quoted = false;
            for (int i = 0; i < headerLine.length(); i++) {
                char c = headerLine.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                }
                else if (c == candidate && !quoted) {
                    count++;
                }
            }
            if (count > best) {
                best = count;
                chosen = candidate;
            }
        }
        delimiter = chosen;
    }

    private void parse(char[] chars, int from, int end) {
        char delim = delimiter;
        for (int i = from; i < end; i++) {
            char c = chars[i];
            if (inQuotes) {
                if (c == '"') {
                    inQuotes = false;
                    afterQuote = true;
                }
                else {
                    if (c == '\n') {
                        line++;
                    }
                    append(c);
                }
                continue;
            }
            if (afterQuote) {
                afterQuote = false;
                if (c == '"') {
                    append('"');
                    inQuotes = true;
                    continue;
                }
            }
            if (c == delim) {
                endField();
            }
            else if (c == '\n') {
                endField();
                endRecord();
                line++;
                recordLine = line;
            }
            else if (c == '\r') {
                // CR LF: the LF ends the record
            }
            else if (c == '"' && field.length() == 0 && !fieldQuoted) {
                inQuotes = true;
                fieldQuoted = true;
            }
            else {
                append(c);
            }
        }
    }

    private void append(char c) {
        if (c == 0) {
            return; // PostgreSQL text cannot hold NUL
        }
        if (field.length() < maxFieldLength) {
            field.append(c);
        }
        else {
            tooLong = true;
        }
    }

    private void endField() {
        if (fields.size() >= maxColumns) {
            throw new CsvFormatException(recordLine, "more than " + maxColumns + " columns");
        }
        fields.add(field.toString());
        field.setLength(0);
        fieldQuoted = false;
        afterQuote = false;
    }

    private void endRecord() {
        boolean blank = fields.size() == 1 && fields.getFirst().isEmpty();
        if (!blank) {
            handler.record(fields, recordLine, tooLong);
        }
        fields.clear();
        tooLong = false;
    }
}
