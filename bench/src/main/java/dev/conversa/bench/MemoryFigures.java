package dev.conversa.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's memory at one moment: the live heap (after a full GC), the resident set and the open file
 * descriptors (one socket per live session).
 */
record MemoryFigures(long heapBytes, long rssBytes, long fileDescriptors) {

    static MemoryFigures measure(ServiceJvm service) {
        long heap = Jcmd.liveHeapBytes(service.pid());
        return new MemoryFigures(heap, service.residentBytes(), service.openFileDescriptors());
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("heapUsedAfterGcMB", Report.mb(heapBytes));
        map.put("rssMB", Report.mb(rssBytes));
        map.put("openFileDescriptors", fileDescriptors);
        return map;
    }

    /** Total and marginal (above {@code baseline}) figures per session, in KB. */
    Map<String, Object> perSession(MemoryFigures baseline, long sessions) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sessions", sessions);
        map.put("heapPerSessionKB", Report.kb((heapBytes - baseline.heapBytes) / (double) Math.max(1, sessions)));
        map.put("heapTotalPerSessionKB", Report.kb(heapBytes / (double) Math.max(1, sessions)));
        map.put("rssPerSessionKB", Report.kb((rssBytes - baseline.rssBytes) / (double) Math.max(1, sessions)));
        map.put("rssTotalPerSessionKB", Report.kb(rssBytes / (double) Math.max(1, sessions)));
        return map;
    }
}
