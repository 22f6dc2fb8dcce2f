package dev.conversa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures of another JVM through {@code jcmd} (the JDK this benchmark runs on): the live heap is what is left
 * after a full collection ({@code GC.run}, then {@code GC.heap_info}), and {@code GC.class_histogram} tells what
 * it is made of.
 */
final class Jcmd {

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    /** One row of a class histogram. */
    record ClassBytes(String className, long instances, long bytes) {
    }

    private Jcmd() {
    }

    /** Heap used right after a full GC, in bytes (sum of the collector's heap "used" figures; metaspace excluded). */
    static long liveHeapBytes(long pid) {
        run(pid, "GC.run");
        long used = 0;
        for (String line : run(pid, "GC.heap_info").lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                continue;
            }
            Matcher matcher = USED.matcher(line);
            if (matcher.find() && (trimmed.contains("total") || trimmed.startsWith("ZHeap"))) {
                used += Long.parseLong(matcher.group(1)) * switch (matcher.group(2)) {
                    case "K" -> 1L << 10;
                    case "M" -> 1L << 20;
                    default -> 1L << 30;
                };
            }
        }
        return used;
    }

    /** The class histogram (it collects first), saved whole to {@code file}; answers its {@code top} rows. */
    static List<ClassBytes> histogram(long pid, int top, Path file) throws IOException {
        String output = run(pid, "GC.class_histogram");
        Files.writeString(file, output);
        List<ClassBytes> rows = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher matcher = HISTOGRAM_ROW.matcher(line);
            if (matcher.matches() && rows.size() < top) {
                rows.add(new ClassBytes(matcher.group(3).trim(), Long.parseLong(matcher.group(1)),
                        Long.parseLong(matcher.group(2))));
            }
        }
        return rows;
    }

    private static String run(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
