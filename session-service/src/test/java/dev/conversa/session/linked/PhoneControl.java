package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.conversa.simulator.WhatsAppSimulator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's control API ({@code /sim/...}) as the tests use it: the phone that scans and types codes, customers
 * who write, faults, forced disconnects and the ground truth.
 */
final class PhoneControl {

    private static final AtomicLong NUMBERS = new AtomicLong(ProcessHandle.current().pid() % 1000 * 10_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    PhoneControl(WhatsAppSimulator simulator) {
        this.base = simulator.baseUrl();
    }

    /** A business number no other test of this JVM uses, E.164. */
    static String newNumber() {
        return "+54911" + String.format("%07d", NUMBERS.incrementAndGet());
    }

    JsonNode scan(String ref, String phoneNumber) {
        return expect(201, "POST", "/sim/linked/scan",
                Map.of("ref", ref, "phoneNumber", phoneNumber, "pushName", "Tienda Sol"));
    }

    JsonNode enterPairingCode(String phoneNumber, String code) {
        return expect(201, "POST", "/sim/linked/pairing-code/enter", Map.of("phoneNumber", phoneNumber, "code", code));
    }

    /** A customer {@code from} writes {@code text} to the business number {@code to}; the message's waMessageId. */
    String write(String from, String to, String text) {
        return expect(202, "POST", "/sim/phones/" + from.substring(1) + "/messages",
                Map.of("to", to, "type", "text", "text", text)).path("waMessageId").asString();
    }

    void createPhone(String number, boolean onWhatsApp) {
        expect(201, "POST", "/sim/phones", Map.of("number", number, "name", "Ana", "onWhatsApp", onWhatsApp));
    }

    JsonNode disconnect(String deviceId, int code) {
        return expect(200, "POST", "/sim/linked/devices/" + deviceId + "/disconnect", Map.of("code", code));
    }

    JsonNode device(String deviceId) {
        return expect(200, "GET", "/sim/linked/devices/" + deviceId, null);
    }

    void faults(String number, long latencyMillis, double dropRate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("number", number);
        body.put("latencyMillis", latencyMillis);
        body.put("dropRate", dropRate);
        expect(200, "PUT", "/sim/faults", body);
    }

    void clearFaults() {
        expect(204, "DELETE", "/sim/faults", null);
    }

    /** How many sends the simulator accepted with {@code clientRef} from {@code businessNumber}. */
    long sendsWithClientRef(String businessNumber, String clientRef) {
        return expect(200, "GET", "/sim/truth/numbers/" + businessNumber.substring(1) + "/client-refs?key=" + clientRef,
                null).path("count").asLong();
    }

    /** The media id the first send with {@code clientRef} carried, as the recipient got it; null for none. */
    String mediaIdSentWithClientRef(String businessNumber, String clientRef) {
        JsonNode mediaId = expect(200, "GET", "/sim/truth/numbers/" + businessNumber.substring(1)
                + "/client-refs?key=" + clientRef, null).path("mediaId");
        return mediaId.isString() ? mediaId.asString() : null;
    }

    private JsonNode expect(int status, String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
            return JSON.readTree(response.body().isEmpty() ? "null" : response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
