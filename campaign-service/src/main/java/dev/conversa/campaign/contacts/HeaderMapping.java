package dev.conversa.campaign.contacts;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.conversa.web.problem.ApiException;

/**
 * What each column of the header means. Names are matched without case or accents: phone ({@code phone,
 * telefono, celular, movil, whatsapp, number, numero}), name ({@code name, nombre}), groups ({@code group, grupo,
 * groups, grupos}, several separated by {@code |}), tags ({@code tags, etiquetas, tag, etiqueta}, {@code |}
 * too). The first column of a kind is used; every other column is an attribute named as its header is written
 * (trimmed). Blank header cells are ignored.
 */
record HeaderMapping(int columns, int phone, int name, int[] groups, int[] tags, int[] attributeColumns,
        String[] attributeNames) {

    private static final Set<String> PHONE = Set.of("phone", "telefono", "celular", "movil", "whatsapp", "number",
            "numero", "phone number", "telefono movil");
    private static final Set<String> NAME = Set.of("name", "nombre");
    private static final Set<String> GROUP = Set.of("group", "grupo", "groups", "grupos");
    private static final Set<String> TAGS = Set.of("tags", "etiquetas", "tag", "etiqueta");

    /** The mapping of a header; 400 when it has no phone column or too many columns. */
    static HeaderMapping of(List<String> header, int maxColumns) {
        if (header.size() > maxColumns) {
            throw ApiException.badRequest("the header has " + header.size() + " columns; at most " + maxColumns
                    + " are allowed");
        }
        int phone = -1;
        int name = -1;
        List<Integer> groups = new ArrayList<>();
        List<Integer> tags = new ArrayList<>();
        List<Integer> attributeColumns = new ArrayList<>();
        List<String> attributeNames = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String written = header.get(i).strip();
            String key = fold(written);
            if (key.isEmpty()) {
                continue;
            }
            if (PHONE.contains(key) && phone < 0) {
                phone = i;
            }
            else if (NAME.contains(key) && name < 0) {
                name = i;
            }
            else if (GROUP.contains(key)) {
                groups.add(i);
            }
            else if (TAGS.contains(key)) {
                tags.add(i);
            }
            else {
                attributeColumns.add(i);
                attributeNames.add(written);
            }
        }
        if (phone < 0) {
            throw ApiException.badRequest("the header has no phone column; name one of phone, telefono, celular, "
                    + "movil, whatsapp, numero (found: " + String.join(", ", header) + ")")
                    .with("header", header);
        }
        return new HeaderMapping(header.size(), phone, name, ints(groups), ints(tags), ints(attributeColumns),
                attributeNames.toArray(String[]::new));
    }

    static String fold(String text) {
        String plain = Normalizer.normalize(text.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return plain.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
