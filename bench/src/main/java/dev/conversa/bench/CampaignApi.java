package dev.conversa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.conversa.testsupport.TestJwts;
import tools.jackson.databind.JsonNode;

/**
 * campaign-service's REST API as a supervisor uses it: import contacts from a CSV file, set the sessions' pace,
 * create and start a campaign, read its progress. Blocking calls: the benchmark drives a handful of them from its
 * main thread.
 */
final class CampaignApi {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String tenant;

    CampaignApi(String baseUrl, String tenant) {
        this.baseUrl = baseUrl;
        this.tenant = tenant;
    }

    /** {@code POST /api/v1/contacts/import} (multipart, the file streamed from disk): the import job as answered. */
    JsonNode importContacts(Path csv, String defaultRegion) throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"defaultRegion\"\r\n\r\n" + defaultRegion + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + csv.getFileName() + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = request("/api/v1/contacts/import")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(csv),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)))
                .build();
        return expect(request, "import");
    }

    JsonNode importJob(String id) throws IOException, InterruptedException {
        return expect(request("/api/v1/contacts/imports/" + id).GET().build(), "import job");
    }

    /** {@code PUT /api/v1/sessions/{id}/pacing}: the session's pace, no daily cap to speak of, no warm-up. */
    void pace(UUID sessionId, int perMinute, int jitterPercent) throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("messagesPerMinute", perMinute, "jitterPercent", jitterPercent,
                "dailyCap", 1_000_000, "warmupDays", 0, "warmupStartCap", 1_000_000);
        expect(request("/api/v1/sessions/" + sessionId + "/pacing")
                .header("Content-Type", "application/json")
                .PUT(json(body)).build(), "pacing");
    }

    /** {@code POST /api/v1/campaigns} then {@code POST …/start}: the campaign's id. */
    UUID createAndStart(String name, List<UUID> sessions, String group, String text)
            throws IOException, InterruptedException {
        Map<String, Object> body = Map.of(
                "name", name,
                "sessionIds", sessions.stream().map(UUID::toString).toList(),
                "audience", Map.of("groups", List.of(group)),
                "message", Map.of("text", text),
                "schedule", Map.of("timeZone", "UTC"),
                "maxAttempts", 3);
        JsonNode created = expect(request("/api/v1/campaigns")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                .POST(json(body)).build(), "create campaign");
        UUID id = UUID.fromString(created.get("id").asString());
        expect(request("/api/v1/campaigns/" + id + "/start").POST(HttpRequest.BodyPublishers.noBody()).build(),
                "start campaign");
        return id;
    }

    /** {@code GET /api/v1/campaigns/{id}/progress}: the recipients' counters. */
    JsonNode progress(UUID campaignId) throws IOException, InterruptedException {
        return expect(request("/api/v1/campaigns/" + campaignId + "/progress").GET().build(), "progress");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + TestJwts.get().token("bench-supervisor", tenant, "admin"));
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(JsonHttp.JSON.writeValueAsString(body), StandardCharsets.UTF_8);
    }

    private JsonNode expect(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JsonHttp.JSON.createObjectNode() : JsonHttp.JSON.readTree(response.body());
    }
}
