package dev.conversa.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The simulator's control API, playing the phones of the linked numbers: scan a QR ref, list every device with
 * what the simulator knows of it ({@code online}, {@code logins}, {@code replacements}). The device list is the
 * ground truth for "connected": a session counts once the simulator holds an open socket for its device.
 */
final class SimulatorPhone {

    /** A linked device as the simulator sees it. */
    record Device(String deviceId, String phoneNumber, boolean online, long logins, long replacements) {

        static Device of(JsonNode node) {
            return new Device(node.path("deviceId").asString(), node.path("phoneNumber").asString(),
                    node.path("online").asBoolean(), node.path("logins").asLong(),
                    node.path("replacements").asLong());
        }
    }

    /** A scan the simulator refused because the ref expired or was rotated: the caller fetches the current QR. */
    static final class StaleRefException extends RuntimeException {

        StaleRefException(String message) {
            super(message);
        }
    }

    private final JsonHttp http;

    SimulatorPhone(String baseUrl, int maxConnections) {
        this.http = new JsonHttp("simulator-phone", baseUrl, maxConnections, null);
    }

    /** {@code POST /sim/linked/scan}: the phone of {@code phoneNumber} accepts the device showing {@code ref}. */
    Mono<Device> scan(String ref, String phoneNumber) {
        return http.post("/sim/linked/scan", Map.of("ref", ref, "phoneNumber", phoneNumber,
                        "pushName", "Bench " + phoneNumber.substring(phoneNumber.length() - 5)))
                .flatMap(response -> {
                    if (response.status() == 201) {
                        return Mono.just(Device.of(response.body()));
                    }
                    return Mono.error(response.status() == 404 ? new StaleRefException(ref)
                            : new IllegalStateException("scan of " + phoneNumber + " answered " + response));
                });
    }

    /** {@code GET /sim/linked/devices}: every device, oldest link first. */
    List<Device> devices() {
        JsonHttp.Response response = http.get("/sim/linked/devices").block(Duration.ofSeconds(60));
        if (response == null || !response.ok()) {
            throw new IllegalStateException("devices answered " + response);
        }
        List<Device> devices = new ArrayList<>(response.body().size());
        response.body().forEach(node -> devices.add(Device.of(node)));
        return devices;
    }
}
