package dev.conversa.campaign.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * {@link ImportPipeline}'s stages as the importer runs them: rows read in order, batches prepared in any order (in
 * parallel), then deduplicated in file order; and the array literals the batches are written with.
 */
class ImportPipelineTest {

    private final PhoneNormalizer phones = new PhoneNormalizer();

    private ImportPipeline pipeline(int batchSize) {
        return new ImportPipeline(new ImportPipeline.Options("ES", "imported", 1 << 20, 20, 100, batchSize), phones);
    }

    /** Feeds the whole text in small chunks; answers the rows' batches in file order. */
    private static List<ImportPipeline.Rows> read(ImportPipeline pipeline, String csv) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        List<Object> steps = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 7) {
            steps.addAll(pipeline.feed(ByteBuffer.wrap(bytes, i, Math.min(7, bytes.length - i))));
        }
        steps.addAll(pipeline.finish());
        assertThat(steps.getFirst()).isInstanceOf(HeaderMapping.class);
        return steps.stream().skip(1).map(ImportPipeline.Rows.class::cast).toList();
    }

    @Test
    void firstRowOfANumberWinsWhateverOrderTheBatchesArePreparedIn() {
        String csv = """
                phone;name
                612000003;Ana
                612000001;Luis
                +34 612 000 003;Ana again
                hola;Nope
                0034612000001;Luis again
                612000002;Eva
                612000002;Eva again
                """;
        ImportPipeline pipeline = pipeline(2);
        List<ImportPipeline.Rows> rows = read(pipeline, csv);
        assertThat(rows).hasSize(4);

        // prepared last to first, as parallel workers may finish them
        ImportBatch[] prepared = new ImportBatch[rows.size()];
        for (int i = rows.size() - 1; i >= 0; i--) {
            prepared[i] = pipeline.prepare(rows.get(i));
        }
        List<String> kept = new ArrayList<>();
        long duplicates = 0;
        List<Long> rejectedLines = new ArrayList<>();
        for (ImportBatch batch : prepared) {
            pipeline.dedupe(batch);
            duplicates += batch.duplicates;
            for (int i = 0; i < batch.contacts; i++) {
                kept.add(batch.phones[i] + "=" + batch.names[i]);
            }
            for (int i = 0; i < batch.rejections; i++) {
                rejectedLines.add(batch.rejectionLines[i]);
            }
        }

        assertThat(kept).containsExactlyInAnyOrder("+34612000003=Ana", "+34612000001=Luis", "+34612000002=Eva");
        assertThat(duplicates).isEqualTo(3);
        assertThat(rejectedLines).containsExactly(5L);
        assertThat(Arrays.stream(prepared).mapToLong(batch -> batch.rowsRead).sum()).isEqualTo(7);
    }

    @Test
    void rejectionsKeepTheirPhysicalLinesAcrossBatchesAndMultiLineFields() {
        String csv = "phone,name,note\n"
                + "612000001,Ana,\"two\nlines\"\n"
                + "12,Short,\n"
                + "612000002,Luis,x,y\n"
                + "\n"
                + ",Empty,\n"
                + "612000003,Eva,\n";
        ImportPipeline pipeline = pipeline(2);
        List<Long> lines = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ImportPipeline.Rows rows : read(pipeline, csv)) {
            ImportBatch batch = pipeline.dedupe(pipeline.prepare(rows));
            for (int i = 0; i < batch.rejections; i++) {
                lines.add(batch.rejectionLines[i]);
                reasons.add(batch.rejectionReasons[i]);
            }
        }

        assertThat(lines).containsExactly(4L, 5L, 7L);
        assertThat(reasons.get(0)).contains("not a valid number");
        assertThat(reasons.get(1)).contains("4 fields, the header 3");
        assertThat(reasons.get(2)).isEqualTo("phone is empty");
    }

    @Test
    void aBatchIsSortedByNumberWithDistinctTimeOrderedIds() {
        String csv = "phone,name,city\n612000009,Nine,Madrid\n612000001,One,\n+52 55 1234 5678,Mx,CDMX\n"
                + "612000005,Five,Bilbao\n";
        ImportPipeline pipeline = pipeline(10);
        ImportBatch batch = pipeline.dedupe(pipeline.prepare(read(pipeline, csv).getFirst()));

        assertThat(Arrays.copyOf(batch.phones, batch.contacts))
                .containsExactly("+34612000001", "+34612000005", "+34612000009", "+525512345678");
        // every column moved with its number
        assertThat(Arrays.copyOf(batch.names, batch.contacts)).containsExactly("One", "Five", "Nine", "Mx");
        assertThat(Arrays.copyOf(batch.attributes, batch.contacts)).containsExactly("{}", "{\"city\":\"Bilbao\"}",
                "{\"city\":\"Madrid\"}", "{\"city\":\"CDMX\"}");
        assertThat(batch.groups[0]).isEqualTo("imported");
        assertThat(batch.ids).hasSize(4).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id.version()).isEqualTo(7))
                .allSatisfy(id -> assertThat(id.variant()).isEqualTo(2))
                .allSatisfy(id -> assertThat(Math.abs((id.getMostSignificantBits() >>> 16)
                        - System.currentTimeMillis())).isLessThan(60_000));
    }

    @Test
    void arrayLiteralQuotesEveryValueAndEscapesQuotesAndBackslashes() {
        ImportBatch batch = new ImportBatch(8);
        String[] column = {"plain", null, "say \"hi\"", "back\\slash", "", "{a,b}", "NULL", "two\nlines"};
        batch.contacts = column.length;

        assertThat(batch.arrayLiteral(column)).isEqualTo(
                "{\"plain\",NULL,\"say \\\"hi\\\"\",\"back\\\\slash\",\"\",\"{a,b}\",\"NULL\",\"two\nlines\"}");
        UUID id = UUID.fromString("0190a5f0-0000-7000-8000-000000000001");
        batch.contacts = 1;
        assertThat(batch.arrayLiteral(new UUID[] {id})).isEqualTo("{\"" + id + "\"}");
    }
}
