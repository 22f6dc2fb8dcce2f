package dev.conversa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU and load figures of this Linux machine, read from {@code /proc}. */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code USER_HZ}). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** User + system CPU of a process in clock ticks ({@code /proc/<pid>/stat}); 0 when it is gone. */
    static long ticks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid)));
    }

    /** The same for a process directory under {@code /proc}. */
    static long ticks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3 of the full line, utime 14 and stime 15
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code /proc/loadavg}, or "unknown". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        }
        catch (IOException e) {
            return "unknown";
        }
    }
}
