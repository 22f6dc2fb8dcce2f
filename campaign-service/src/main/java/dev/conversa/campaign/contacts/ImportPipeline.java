package dev.conversa.campaign.contacts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;


/**
 * One upload, from bytes to write batches, in three steps.
 * <ol>
 * <li>{@link #feed} and {@link #finish}, chunk by chunk, in file order, on one thread at a time:
 * {@link TextDecoder} (encoding), {@link CsvParser} (records), {@link HeaderMapping} (the first record). They answer
 * what became ready: the {@link HeaderMapping} once, first, then {@link Rows} of {@code batchSize} records as read
 * (the last one may be shorter), and, when the file cannot be read on after its header, the exception as the last
 * step.</li>
 * <li>{@link #prepare}: the rows of one {@link Rows} checked and normalised (phone to E.164, name, groups, tags,
 * attributes), rejected lines with their reasons. This is most of the CPU time (libphonenumber), and it depends on
 * nothing but the rows, so several {@link Rows} may be prepared at once on different threads.</li>
 * <li>{@link #dedupe}, in file order, one batch after the other: a number seen earlier in the file is dropped and
 * counted as a duplicate (the first row of a number wins), then the contacts get ids and are sorted by number.</li>
 * </ol>
 * Line numbers and reasons are those of the rows, whatever thread prepared them. Memory: the encoding sniff buffer,
 * the batches in flight, and 8 bytes per distinct number of the file.
 */
final class ImportPipeline {

    /** The choices of one import. */
    record Options(String region, @Nullable String group, long maxBytes, int maxColumns, int maxFieldLength,
            int batchSize) {
    }

    /** The file is larger than allowed. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(long maxBytes) {
            super("the file is larger than " + maxBytes + " bytes");
        }
    }

    /** Records as the parser read them, in file order: the input of {@link #prepare}. */
    static final class Rows {

        final String[][] fields;
        final long[] lines;
        final boolean[] tooLong;
        int size;

        Rows(int capacity) {
            fields = new String[capacity][];
            lines = new long[capacity];
            tooLong = new boolean[capacity];
        }

        void add(List<String> record, long line, boolean fieldTooLong) {
            fields[size] = record.toArray(String[]::new);
            lines[size] = line;
            tooLong[size] = fieldTooLong;
            size++;
        }

        boolean isFull() {
            return size == fields.length;
        }
    }

    private final Options options;
    private final PhoneNormalizer phones;
    private final TextDecoder decoder;
    private final CsvParser parser;
    private final LongSet seen = new LongSet();
    private final List<Object> ready = new ArrayList<>();
    /** Written by the parsing thread before any {@link Rows} is handed out, read by the preparing ones. */
    private volatile @Nullable HeaderMapping mapping;
    private Rows rows;
    private long bytes;

    ImportPipeline(Options options, PhoneNormalizer phones) {
        this.options = options;
        this.phones = phones;
        this.parser = new CsvParser(this::record, options.maxColumns(), options.maxFieldLength());
        this.decoder = new TextDecoder(parser::feed);
        this.rows = new Rows(options.batchSize());
    }

    /** Decodes and parses a chunk; answers the steps it completed. */
    List<Object> feed(ByteBuffer chunk) {
        try {
            bytes += chunk.remaining();
            if (bytes > options.maxBytes()) {
                throw new TooLargeException(options.maxBytes());
            }
            decoder.feed(chunk);
        }
        catch (RuntimeException e) {
            return failed(e);
        }
        return drain();
    }

    /**
     * Before the header: the error itself (nothing was written). After it: the steps completed so far and then the
     * error, as the last step, so what was read before it is written and counted before the import fails.
     */
    private List<Object> failed(RuntimeException error) {
        if (mapping == null) {
            throw error;
        }
        ready.add(error);
        return drain();
    }

    /** End of the upload: the last record and the last, partial {@link Rows}. */
    List<Object> finish() {
        try {
            decoder.finish();
            parser.finish();
        }
        catch (RuntimeException e) {
            return failed(e);
        }
        if (mapping == null) {
            throw dev.conversa.web.problem.ApiException.badRequest("the file is empty: it needs a header line");
        }
        if (rows.size > 0) {
            ready.add(rows);
            rows = new Rows(options.batchSize());
        }
        return drain();
    }

    private List<Object> drain() {
        if (ready.isEmpty()) {
            return List.of();
        }
        List<Object> steps = List.copyOf(ready);
        ready.clear();
        return steps;
    }

    private void record(List<String> fields, long line, boolean fieldTooLong) {
        if (mapping == null) {
            HeaderMapping header = HeaderMapping.of(List.copyOf(fields), options.maxColumns());
            mapping = header;
            ready.add(header);
            return;
        }
        rows.add(fields, line, fieldTooLong);
        if (rows.isFull()) {
            ready.add(rows);
            rows = new Rows(options.batchSize());
        }
    }

    /**
     * Checks and normalises {@code read} into a batch: rejected lines with their reasons, contacts in file order.
     * Thread-safe, so batches may be prepared in parallel; {@link #dedupe} must then see them in file order.
     */
    ImportBatch prepare(Rows read) {
        HeaderMapping header = mapping;
        if (header == null) {
            throw new IllegalStateException("rows before the header");
        }
        ImportBatch batch = new ImportBatch(read.size);
        batch.rowsRead = read.size;
        Set<String> labels = new LinkedHashSet<>();
        StringBuilder json = new StringBuilder(256);
        for (int r = 0; r < read.size; r++) {
            row(batch, header, read.fields[r], read.lines[r], read.tooLong[r], labels, json);
        }
        return batch;
    }

    /**
     * Drops the contacts whose number an earlier row of the file had (counted as duplicates), gives the others
     * their ids and sorts them by number. Call with the batches in file order, one at a time.
     */
    ImportBatch dedupe(ImportBatch batch) {
        int kept = 0;
        for (int i = 0; i < batch.contacts; i++) {
            if (seen.add(batch.numbers[i])) {
                batch.move(i, kept++);
            }
            else {
                batch.duplicates++;
            }
        }
        for (int i = kept; i < batch.contacts; i++) {
            batch.phones[i] = null;
            batch.names[i] = null;
            batch.attributes[i] = null;
            batch.groups[i] = null;
            batch.tags[i] = null;
        }
        batch.contacts = kept;
        batch.sortByNumber();
        batch.assignIds();
        return batch;
    }

    private void row(ImportBatch batch, HeaderMapping header, String[] fields, long line, boolean fieldTooLong,
            Set<String> labels, StringBuilder json) {
        if (fieldTooLong) {
            batch.reject(line, "a field is longer than " + options.maxFieldLength() + " characters");
            return;
        }
        if (fields.length > header.columns() && !blankFrom(fields, header.columns())) {
            batch.reject(line, "the row has " + fields.length + " fields, the header " + header.columns());
            return;
        }
        PhoneNormalizer.Result phone = phones.normalize(field(fields, header.phone()), options.region());
        if (!phone.valid()) {
            batch.reject(line, phone.error());
            return;
        }
        String e164 = phone.e164();
        int i = batch.contacts++;
        batch.phones[i] = e164;
        batch.numbers[i] = Long.parseLong(e164, 1, e164.length(), 10);
        String name = header.name() < 0 ? null : field(fields, header.name()).strip();
        batch.names[i] = name == null || name.isEmpty() ? null : name;
        batch.groups[i] = labels(labels, fields, header.groups(), options.group());
        batch.tags[i] = labels(labels, fields, header.tags(), null);
        batch.attributes[i] = attributes(json, fields, header);
    }

    private static boolean blankFrom(String[] fields, int from) {
        for (int i = from; i < fields.length; i++) {
            if (!fields[i].isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index] : "";
    }

    /** The distinct non-blank {@code |}-separated labels of the columns, joined by {@code |} for the writer. */
    private static String labels(Set<String> labels, String[] fields, int[] columns, @Nullable String extra) {
        labels.clear();
        for (int column : columns) {
            String value = field(fields, column);
            if (value.isBlank()) {
                continue;
            }
            int start = 0;
            while (start <= value.length()) {
                int bar = value.indexOf('|', start);
                int end = bar < 0 ? value.length() : bar;
                String label = value.substring(start, end).strip();
                if (!label.isEmpty()) {
                    labels.add(label);
                }
                start = end + 1;
            }
        }
        if (extra != null) {
            labels.add(extra);
        }
        return labels.isEmpty() ? "" : String.join("|", labels);
    }

    /** A JSON object of the non-blank attribute columns. */
    private static String attributes(StringBuilder json, String[] fields, HeaderMapping header) {
        StringBuilder out = json;
        out.setLength(0);
        out.append('{');
        boolean first = true;
        for (int a = 0; a < header.attributeColumns().length; a++) {
            String value = field(fields, header.attributeColumns()[a]).strip();
            if (value.isEmpty()) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, header.attributeNames()[a]);
            out.append(':');
            quote(out, value);
        }
        return out.append('}').toString();
    }

    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
