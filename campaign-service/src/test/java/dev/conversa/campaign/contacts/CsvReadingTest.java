package dev.conversa.campaign.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link CsvParser} and {@link TextDecoder}: delimiters, quoting, line numbers, encodings, chunk boundaries. */
class CsvReadingTest {

    record Row(List<String> fields, long line, boolean tooLong) {
    }

    private final List<Row> rows = new ArrayList<>();

    private CsvParser parser(int maxColumns, int maxField) {
        return new CsvParser((fields, line, tooLong) -> rows.add(new Row(List.copyOf(fields), line, tooLong)),
                maxColumns, maxField);
    }

    private List<Row> parse(String text) {
        CsvParser parser = parser(50, 100);
        parser.feed(text);
        parser.finish();
        return rows;
    }

    @Test
    void delimiterIsTheOneTheHeaderHoldsMostOf() {
        assertThat(parse("phone;name;city\n+34600000001;Ana;Madrid, centro\n"))
                .extracting(Row::fields)
                .containsExactly(List.of("phone", "name", "city"), List.of("+34600000001", "Ana", "Madrid, centro"));
        rows.clear();
        assertThat(parse("phone\tname\n1\tAna; Luis\n")).extracting(Row::fields)
                .containsExactly(List.of("phone", "name"), List.of("1", "Ana; Luis"));
        rows.clear();
        assertThat(parse("phone,name\r\n1,Ana\r\n")).extracting(Row::fields)
                .containsExactly(List.of("phone", "name"), List.of("1", "Ana"));
    }

    @Test
    void quotedFieldsKeepDelimitersDoubledQuotesAndLineBreaks() {
        List<Row> parsed = parse("phone,name,note\n1,\"Pérez, Ana\",\"she said \"\"hola\"\"\"\n"
                + "2,\"Luis\",\"line one\nline two\nline three\"\n3,Eva,\n");

        assertThat(parsed).extracting(Row::fields).containsExactly(
                List.of("phone", "name", "note"),
                List.of("1", "Pérez, Ana", "she said \"hola\""),
                List.of("2", "Luis", "line one\nline two\nline three"),
                List.of("3", "Eva", ""));
        assertThat(parsed).extracting(Row::line).containsExactly(1L, 2L, 3L, 6L);
    }

    @Test
    void blankLinesAreSkippedButCountInLineNumbers() {
        assertThat(parse("phone\n\n1\n\r\n2")).extracting(Row::line).containsExactly(1L, 3L, 5L);
    }

    @Test
    void quoteLeftOpenAtTheEndIsFatalWithTheLineItOpenedOn() {
        CsvParser parser = parser(50, 1000);
        parser.feed("phone,name\n1,Ana\n2,\"Luis\n3,Eva\n");
        assertThatThrownBy(parser::finish).isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 3").hasMessageContaining("not closed");
    }

    @Test
    void tooManyColumnsIsFatalAndALongFieldFlagsItsRow() {
        CsvParser parser = parser(3, 5);
        parser.feed("a,b,c\n1,123456789,3\n");
        assertThat(rows.get(1)).extracting(Row::tooLong, Row::line).containsExactly(true, 2L);
        assertThatThrownBy(() -> parser.feed("1,2,3,4\n")).isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 3").hasMessageContaining("more than 3 columns");
    }

    @Test
    void recordsSplitAcrossChunksAnywhereReadTheSame() {
        String text = "phone;name\n+34600000001;\"Ana\nMaría\"\n+34600000002;\"x\"\"y\"\n";
        List<Row> whole = parse(text);
        for (int cut = 1; cut < text.length(); cut++) {
            List<Row> split = new ArrayList<>();
            CsvParser parser = new CsvParser((f, l, t) -> split.add(new Row(List.copyOf(f), l, t)), 50, 100);
            parser.feed(text.substring(0, cut));
            parser.feed(text.substring(cut));
            parser.finish();
            assertThat(split).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void utf8WithOrWithoutBomAndLatin1DecodeToTheSameText() {
        String text = "teléfono,nombre\n600000001,Begoña Muñoz\n";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(decode(utf8, 1)).isEqualTo(text);
        assertThat(decode(bom, 2)).isEqualTo(text);
        assertThat(decode(latin1, 3)).isEqualTo(text);
    }

    @Test
    void encodingIsDecidedOnTheFirstBytesAndMultiByteCharactersSurviveChunkEdges() {
        StringBuilder big = new StringBuilder("phone,name\n");
        while (big.length() < TextDecoder.SNIFF_BYTES * 2) {
            big.append("600000001,Iñaki Güemes\n");
        }
        byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(decode(bytes, 7)).isEqualTo(big.toString());
        assertThat(decode(big.toString().getBytes(StandardCharsets.ISO_8859_1), 4093)).isEqualTo(big.toString());
    }

    private static String decode(byte[] bytes, int chunk) {
        StringBuilder out = new StringBuilder();
        TextDecoder decoder = new TextDecoder((chars, offset, length) -> out.append(chars, offset, length));
        for (int i = 0; i < bytes.length; i += chunk) {
            decoder.feed(ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        decoder.finish();
        return out.toString();
    }
}
