package dev.conversa.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's contact list: {@code rows} customers with distinct Argentine mobile numbers (written as people
 * type them: some with {@code +54 9}, some local), a name, the group {@code bench} and two extra columns that become
 * attributes, {@code ;}-separated as spreadsheets in Spanish locales export them.
 */
final class ContactsCsv {

    static final String GROUP = "bench";
    /** Customers' numbers: {@code +54 9 11 6000 0000} upwards. */
    private static final long FIRST = 1_160_000_000L;

    private ContactsCsv() {
    }

    static Path write(Path file, int rows) throws IOException {
        return write(file, rows, GROUP, 0);
    }

    /** {@code rows} customers of {@code group}, numbered from row {@code firstRow} ({@link #phone(int)}). */
    static Path write(Path file, int rows, String group, int firstRow) throws IOException {
        Files.createDirectories(file.getParent());
        String[] cities = {"Buenos Aires", "Córdoba", "Rosario", "Mendoza", "La Plata"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("telefono;nombre;grupo;ciudad;codigo_cliente\n");
            for (int i = firstRow; i < firstRow + rows; i++) {
                long local = FIRST + i;
                String phone = i % 2 == 0 ? "+54 9 " + local : "+549" + local;
                out.write(phone);
                out.write(";Cliente ");
                out.write(Integer.toString(i));
                out.write(';');
                out.write(group);
                out.write(';');
                out.write(cities[i % cities.length]);
                out.write(";C-");
                out.write(Integer.toString(100_000 + i));
                out.write('\n');
            }
        }
        return file;
    }

    /** The E.164 number of row {@code i}. */
    static String phone(int i) {
        return "+549" + (FIRST + i);
    }
}
