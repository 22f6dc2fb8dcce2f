package dev.conversa.campaign.contacts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.id.Uuids;

/**
 * One upload, from bytes to write batches, synchronously and chunk by chunk: {@link TextDecoder} (encoding),
 * {@link CsvParser} (records), {@link HeaderMapping} (the first record), then per row phone normalization,
 * in-file dedupe (the first row of a number wins, later ones count as duplicates) and the row's name, groups, tags
 * and attributes. {@link #feed} and {@link #finish} answer what became ready: the {@link HeaderMapping} once, first,
 * then full {@link ImportBatch}es of {@code batchSize} rows (the last one may be shorter), and, when the file
 * cannot be read on after its header, the exception as the last step. Memory: the encoding sniff
 * buffer, one batch being filled, and 8 bytes per distinct number of the file.
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

    private final Options options;
    private final PhoneNormalizer phones;
    private final TextDecoder decoder;
    private final CsvParser parser;
    private final LongSet seen = new LongSet();
    private final List<Object> ready = new ArrayList<>();
    private @Nullable HeaderMapping mapping;
    private ImportBatch batch;
    private long bytes;
    private final StringBuilder json = new StringBuilder(256);
    private final Set<String> labels = new LinkedHashSet<>();

    ImportPipeline(Options options, PhoneNormalizer phones) {
        this.options = options;
        this.phones = phones;
        this.parser = new CsvParser(this::record, options.maxColumns(), options.maxFieldLength());
        this.decoder = new TextDecoder(parser::feed);
        this.batch = new ImportBatch(options.batchSize());
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

    /** End of the upload: the last record and the last, partial batch. */
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
        if (!batch.isEmpty()) {
            ready.add(batch);
            batch = new ImportBatch(options.batchSize());
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
        HeaderMapping header = mapping;
        if (header == null) {
            mapping = HeaderMapping.of(List.copyOf(fields), options.maxColumns());
            ready.add(mapping);
            return;
        }
        batch.rowsRead++;
        row(header, fields, line, fieldTooLong);
        if (batch.rowsRead >= options.batchSize()) {
            ready.add(batch);
            batch = new ImportBatch(options.batchSize());
        }
    }

    private void row(HeaderMapping header, List<String> fields, long line, boolean fieldTooLong) {
        if (fieldTooLong) {
            batch.reject(line, "a field is longer than " + options.maxFieldLength() + " characters");
            return;
        }
        if (fields.size() > header.columns() && !blankFrom(fields, header.columns())) {
            batch.reject(line, "the row has " + fields.size() + " fields, the header " + header.columns());
            return;
        }
        PhoneNormalizer.Result phone = phones.normalize(field(fields, header.phone()), options.region());
        if (!phone.valid()) {
            batch.reject(line, phone.error());
            return;
        }
        String e164 = phone.e164();
        if (!seen.add(Long.parseLong(e164, 1, e164.length(), 10))) {
            batch.duplicates++;
            return;
        }
        int i = batch.contacts++;
        batch.ids[i] = Uuids.v7();
        batch.phones[i] = e164;
        String name = header.name() < 0 ? null : field(fields, header.name()).strip();
        batch.names[i] = name == null || name.isEmpty() ? null : name;
        batch.groups[i] = labels(fields, header.groups(), options.group());
        batch.tags[i] = labels(fields, header.tags(), null);
        batch.attributes[i] = attributes(fields, header);
    }

    private static boolean blankFrom(List<String> fields, int from) {
        for (int i = from; i < fields.size(); i++) {
            if (!fields.get(i).isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String field(List<String> fields, int index) {
        return index < fields.size() ? fields.get(index) : "";
    }

    /** The distinct non-blank {@code |}-separated labels of the columns, joined by {@code |} for the writer. */
    private String labels(List<String> fields, int[] columns, @Nullable String extra) {
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
    private String attributes(List<String> fields, HeaderMapping header) {
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
