package dev.conversa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The simulator's ground truth ({@code /sim/truth}): what WhatsApp accepted from each business number, and the
 * sends it saw twice under one client reference — the benchmark's judge of "none lost, none duplicated".
 */
final class SimulatorTruth {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    SimulatorTruth(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Messages accepted from each of {@code numbers} (business numbers, as the simulator names them). */
    Map<String, Long> acceptedBy(Collection<String> numbers) throws IOException, InterruptedException {
        JsonNode truth = get("/sim/truth");
        Map<String, Long> accepted = new LinkedHashMap<>();
        for (String number : numbers) {
            accepted.put(number, truth.path(number).path("outboundAccepted").asLong());
        }
        return accepted;
    }

    long acceptedTotal(Collection<String> numbers) throws IOException, InterruptedException {
        return acceptedBy(numbers).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Client references the simulator accepted more than once, and a sample of them. */
    JsonNode duplicates() throws IOException, InterruptedException {
        return get("/sim/truth/duplicates?limit=10");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        return JsonHttp.JSON.readTree(response.body());
    }
}
