package dev.conversa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jcmd <pid> Thread.print} of the service while it works through a backlog, saved whole, and summarised:
 * per dump, how many threads are inside {@code StreamBridge.send} (a synchronous publish waiting for the broker),
 * how many R2DBC/Netty threads are running, and across the dumps the most common (thread pool, state, first
 * application frame) triples.
 */
final class IngestThreadDumps {

    private static final Pattern INTERESTING = Pattern.compile(
            "^\\s+at ((dev\\.conversa|org\\.springframework\\.(cloud|kafka|integration|r2dbc|transaction)"
                    + "|io\\.r2dbc|org\\.apache\\.kafka\\.clients|reactor\\.core)[^(]*)");

    private IngestThreadDumps() {
    }

    static Map<String, Object> take(long pid, int count, long intervalMillis, Path dir, String label)
            throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> perDump = new ArrayList<>();
        Map<String, Integer> triples = new TreeMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                Pause.millis(intervalMillis);
            }
            String dump = jcmd(pid);
            Path file = dir.resolve("threads-" + label + "-" + (i + 1) + ".txt");
            Files.writeString(file, dump);
            files.add(file.toString());
            int inSend = 0;
            int sendWaitingForAck = 0;
            int boundedElastic = 0;
            int boundedElasticBusy = 0;
            for (String thread : dump.split("\n\n")) {
                if (!thread.startsWith("\"")) {
                    continue;
                }
                String name = thread.substring(1, thread.indexOf('"', 1));
                String group = name.replaceAll("[-#]?\\d+", "").replaceAll("\\s+", " ").trim();
                String state = state(thread);
                boolean send = thread.contains("StreamBridge.send");
                if (send) {
                    inSend++;
                    if (thread.contains("Future.get") || thread.contains("FutureTask.get")
                            || thread.contains("CompletableFuture")) {
                        sendWaitingForAck++;
                    }
                }
                if (group.startsWith("boundedElastic")) {
                    boundedElastic++;
                    if (!thread.contains("ScheduledThreadPoolExecutor$DelayedWorkQueue.take")) {
                        boundedElasticBusy++;
                    }
                }
                triples.merge(group + " | " + state + " | " + frame(thread), 1, Integer::sum);
            }
            Map<String, Object> one = Report.map();
            one.put("threadsInStreamBridgeSend", inSend);
            one.put("ofThemWaitingOnSendFuture", sendWaitingForAck);
            one.put("boundedElasticThreads", boundedElastic);
            one.put("boundedElasticNotIdle", boundedElasticBusy);
            perDump.add(one);
        }
        Map<String, Object> map = Report.map();
        map.put("files", files);
        map.put("perDump", perDump);
        List<Map.Entry<String, Integer>> top = new ArrayList<>(triples.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        Map<String, Integer> topMap = new LinkedHashMap<>();
        top.stream().limit(12).forEach(entry -> topMap.put(entry.getKey(), entry.getValue()));
        map.put("topPoolStateFrame(summed over dumps)", topMap);
        return map;
    }

    private static String state(String thread) {
        Matcher matcher = Pattern.compile("java\\.lang\\.Thread\\.State: (\\S+)").matcher(thread);
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static String frame(String thread) {
        for (String line : thread.split("\n")) {
            Matcher matcher = INTERESTING.matcher(line);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        for (String line : thread.split("\n")) {
            if (line.trim().startsWith("at ")) {
                return line.trim().substring(3).replaceAll("\\(.*", "");
            }
        }
        return "-";
    }

    private static String jcmd(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
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
