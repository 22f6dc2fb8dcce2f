package dev.conversa.simulator.linked;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

/** Plain objects of the linked package for tests that need no running simulator. */
final class LinkedTestSupport {

    private LinkedTestSupport() {
    }

    static LinkedProperties properties(int offlineQueueCapacity, int outboundBuffer) {
        return new LinkedProperties(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofSeconds(20), 6, Duration.ofMinutes(3), Duration.ofSeconds(20), Duration.ofSeconds(10),
                offlineQueueCapacity, outboundBuffer, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    static FrameCodec codec() {
        return new FrameCodec(JsonMapper.builder().build());
    }
}
