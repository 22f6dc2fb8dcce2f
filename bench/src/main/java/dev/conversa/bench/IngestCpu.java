package dev.conversa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from {@code /proc} (clock ticks of 10 ms): the service JVM, this JVM (the producer, the embedded broker
 * and the probes), every {@code postgres} process, and the whole machine. Two snapshots give cores used in between.
 */
record IngestCpu(long nanos, long serviceTicks, long selfTicks, long postgresTicks, long machineBusyTicks,
        long machineTotalTicks) {

    private static final double TICKS_PER_SECOND = 100.0;

    static IngestCpu snapshot(long servicePid) {
        long postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && "postgres".equals(comm(process))) {
                    postgres += ticks(process);
                }
            }
        }
        catch (IOException e) {
            postgres = -1;
        }
        long busy = -1;
        long total = -1;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                total += Long.parseLong(cpu[i]);
            }
            busy = total - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5]);
        }
        catch (IOException | RuntimeException e) {
            // leave -1
        }
        return new IngestCpu(System.nanoTime(), ticks(Path.of("/proc", Long.toString(servicePid))),
                ticks(Path.of("/proc/self")), postgres, busy, total);
    }

    /** Cores used between {@code before} and this snapshot. */
    Map<String, Object> coresSince(IngestCpu before) {
        double seconds = (nanos - before.nanos) / 1e9;
        Map<String, Object> map = Report.map();
        map.put("service", Report.round((serviceTicks - before.serviceTicks) / TICKS_PER_SECOND / seconds, 2));
        map.put("benchJvm", Report.round((selfTicks - before.selfTicks) / TICKS_PER_SECOND / seconds, 2));
        map.put("postgres", Report.round((postgresTicks - before.postgresTicks) / TICKS_PER_SECOND / seconds, 2));
        long totalTicks = machineTotalTicks - before.machineTotalTicks;
        map.put("machineBusyPercent", totalTicks <= 0 ? -1
                : Report.round(100.0 * (machineBusyTicks - before.machineBusyTicks) / totalTicks, 1));
        return map;
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim();
        }
        catch (IOException e) {
            return "";
        }
    }

    private static long ticks(Path process) {
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
}
