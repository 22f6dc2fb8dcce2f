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


    static IngestCpu snapshot(long servicePid) {
        long postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && "postgres".equals(comm(process))) {
                    postgres += ProcessCpu.ticks(process);
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
        return new IngestCpu(System.nanoTime(), ProcessCpu.ticks(servicePid),
                ProcessCpu.ticks(Path.of("/proc/self")), postgres, busy, total);
    }

    /** Cores used between {@code before} and this snapshot. */
    Map<String, Object> coresSince(IngestCpu before) {
        double seconds = (nanos - before.nanos) / 1e9;
        Map<String, Object> map = Report.map();
        map.put("service", Report.round((serviceTicks - before.serviceTicks) / ProcessCpu.TICKS_PER_SECOND / seconds, 2));
        map.put("benchJvm", Report.round((selfTicks - before.selfTicks) / ProcessCpu.TICKS_PER_SECOND / seconds, 2));
        map.put("postgres", Report.round((postgresTicks - before.postgresTicks) / ProcessCpu.TICKS_PER_SECOND / seconds, 2));
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

}
