package dev.conversa.campaign.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.media.storage.MediaStorage;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;
import reactor.core.publisher.Flux;

/** {@code /api/v1/campaigns} and session pacing on real servers: definition, lifecycle, materialisation, access. */
@ConversaIntegrationTest
class CampaignsApiIntegrationTest {

    private static final String TENANT = "tenant-campaigns";
    private static final String OTHER = "tenant-other";
    private static final String PROBLEMS = "https://conversa.dev/problems/";

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    MediaStorage storage;

    CampaignFixtures fixtures;

    @BeforeEach
    void setUp() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        fixtures = new CampaignFixtures(web, servers);
    }

    @Test
    void invalidDefinitionsAnswer400WithFieldErrors() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", " ");
        body.put("sessionIds", List.of());
        body.put("audience", Map.of("groups", List.of()));
        body.put("message", Map.of("text", "Hola {{}}"));
        body.put("schedule", Map.of("timeZone", "Mars/Olympus", "window", Map.of("start", "9am", "end", "18:00"),
                "days", List.of(0, 8)));
        body.put("maxAttempts", 11);
        List<?> errors = (List<?>) post(TENANT, body).expectStatus().isBadRequest()
                .expectBody(Map.class).returnResult().getResponseBody().get("errors");
        List<String> fields = errors.stream().map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList();
        assertThat(fields).contains("name", "sessionIds",
                "audience", "message", "schedule.timeZone", "schedule.window.start", "schedule.days", "maxAttempts");
    }

    @Test
    void aCampaignsFileMustBeOneOfTheTenantsStoredMedia() {
        UUID ours = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        store(TENANT, ours);
        store(OTHER, theirs);

        post(TENANT, withMedia("Catálogo", ours)).expectStatus().isCreated();
        for (UUID refused : List.of(theirs, UUID.randomUUID())) {
            Map<?, ?> problem = post(TENANT, withMedia("Catálogo " + refused, refused))
                    .expectStatus().isEqualTo(422)
                    .expectBody(Map.class).returnResult().getResponseBody();
            assertThat((List<?>) problem.get("errors")).singleElement()
                    .satisfies(error -> assertThat(((Map<?, ?>) error).get("field"))
                            .isEqualTo("message.media.mediaId"));
        }
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM campaign.campaigns WHERE tenant_id = ? AND name LIKE 'Catálogo %'", TENANT))
                .as("no campaign saved with a file that is not the tenant's").isZero();
    }

    private Map<String, Object> withMedia(String name, UUID mediaId) {
        return Map.of("name", name, "sessionIds", List.of(UUID.randomUUID()),
                "audience", Map.of("groups", List.of("vip")),
                "message", Map.of("text", "Hola {{name|cliente}}", "media",
                        Map.of("mediaId", mediaId.toString(), "mimeType", "application/pdf",
                                "filename", "catalogo.pdf")),
                "maxAttempts", 2);
    }

    private void store(String tenant, UUID mediaId) {
        storage.put(MediaKeys.of(tenant, mediaId), Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                "%PDF-1.7 catálogo".getBytes(StandardCharsets.UTF_8))), "application/pdf")
                .block(Duration.ofSeconds(10));
    }

    @Test
    void createHonoursIdempotencyKey() {
        Map<String, Object> body = CampaignFixtures.body("Promo", "vip", List.of(UUID.randomUUID()));
        String key = "create-" + UUID.randomUUID();
        Map<?, ?> first = web.post().uri("/api/v1/campaigns").header("Idempotency-Key", key)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(first.get("status")).isEqualTo("draft");
        web.post().uri("/api/v1/campaigns").header("Idempotency-Key", key)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(first.get("id"));
        web.post().uri("/api/v1/campaigns").header("Idempotency-Key", key)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CampaignFixtures.body("Other", "vip", List.of(UUID.randomUUID()))).exchange()
                .expectStatus().isEqualTo(422);
    }

    @Test
    void listFiltersByStatusAndWalksPagesWithTheCursor() {
        String tenant = "tenant-list-" + UUID.randomUUID();
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(fixtures.create(tenant, CampaignFixtures.body("C" + i, "nobody", List.of(UUID.randomUUID()))));
        }
        fixtures.control(tenant, created.get(0), "cancel");
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            String uri = "/api/v1/campaigns?status=draft&size=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<?, ?> page = web.get().uri(uri).headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant)))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            ((List<?>) page.get("items")).forEach(item -> walked.add((String) ((Map<?, ?>) item).get("id")));
            cursor = (String) page.get("nextCursor");
        }
        while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(created.subList(1, 5).reversed().stream()
                .map(UUID::toString).toList());
        web.get().uri("/api/v1/campaigns?size=500").headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant)))
                .exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/campaigns?status=bogus").headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant)))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void patchNeedsTheCurrentVersionAndOnlyDraftsChange() {
        UUID id = fixtures.create(TENANT, CampaignFixtures.body("Draft", "nobody", List.of(UUID.randomUUID())));
        patch(id, null).expectStatus().isEqualTo(428);
        patch(id, "\"7\"").expectStatus().isEqualTo(412);
        patch(id, "\"0\"").expectStatus().isOk().expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody().jsonPath("$.name").isEqualTo("Renamed")
                .jsonPath("$.schedule.timeZone").isEqualTo("America/Mexico_City")
                .jsonPath("$.message.text").isEqualTo("Hola {{name|cliente}} de {{city|tu ciudad}}");
        fixtures.control(TENANT, id, "start");
        patch(id, "*").expectStatus().isEqualTo(409);
        web.delete().uri("/api/v1/campaigns/{id}", id).headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .exchange().expectStatus().isEqualTo(409);

        UUID draft = fixtures.create(TENANT, CampaignFixtures.body("Gone", "nobody", List.of(UUID.randomUUID())));
        web.delete().uri("/api/v1/campaigns/{id}", draft)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT))).exchange()
                .expectStatus().isNoContent();
        web.get().uri("/api/v1/campaigns/{id}", draft).headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void anotherTenantsCampaignAnswers404() {
        UUID id = fixtures.create(TENANT, CampaignFixtures.body("Mine", "nobody", List.of(UUID.randomUUID())));
        web.get().uri("/api/v1/campaigns/{id}", id).headers(h -> h.setBearerAuth(CampaignFixtures.admin(OTHER)))
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "not-found");
        web.post().uri("/api/v1/campaigns/{id}/start", id)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(OTHER))).exchange()
                .expectStatus().isNotFound();
        web.get().uri("/api/v1/campaigns/{id}/progress", id)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(OTHER))).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void agentsMayReadButNotCreateOrControl() {
        UUID id = fixtures.create(TENANT, CampaignFixtures.body("Roles", "nobody", List.of(UUID.randomUUID())));
        String agent = TestJwts.get().token("agent-1", TENANT, "agent");
        web.post().uri("/api/v1/campaigns").headers(h -> h.setBearerAuth(agent))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CampaignFixtures.body("No", "vip", List.of(UUID.randomUUID()))).exchange()
                .expectStatus().isForbidden();
        web.post().uri("/api/v1/campaigns/{id}/start", id).headers(h -> h.setBearerAuth(agent)).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/campaigns/{id}", id).headers(h -> h.setBearerAuth(agent)).exchange()
                .expectStatus().isOk();
    }

    @Test
    void illegalTransitionsAnswer409() {
        UUID id = fixtures.create(TENANT, CampaignFixtures.body("Flow", "nobody", List.of(UUID.randomUUID())));
        expectConflict(id, "resume");
        expectConflict(id, "pause");
        fixtures.control(TENANT, id, "cancel");
        expectConflict(id, "start");
        expectConflict(id, "resume");
        expectConflict(id, "cancel");
    }

    @Test
    void startMaterialisesTheAudienceOnceSkippingOptedOutContacts() {
        String tenant = "tenant-start-" + UUID.randomUUID();
        UUID inGroup = fixtures.contact(tenant, "+5491155550001", "Ana", List.of("vip"), List.of(), false);
        UUID tagged = fixtures.contact(tenant, "+5491155550002", "Beto", List.of(), List.of("promo"), false);
        UUID listed = fixtures.contact(tenant, "+5491155550003", "Caro", List.of(), List.of(), false);
        UUID optedOut = fixtures.contact(tenant, "+5491155550004", "Dani", List.of("vip"), List.of("promo"), true);
        fixtures.contact(tenant, "+5491155550005", "Eva", List.of("other"), List.of(), false);
        // the same phone in another tenant is another contact
        fixtures.contact(OTHER, "+5491155550001", "Ana", List.of("vip"), List.of(), false);
        List<UUID> sessions = List.of(UUID.randomUUID(), UUID.randomUUID());
        Map<String, Object> body = new HashMap<>(CampaignFixtures.body("Audience", "vip", sessions));
        body.put("audience", Map.of("groups", List.of("vip"), "tags", List.of("promo"),
                "contactIds", List.of(listed, inGroup)));
        body.put("schedule", Map.of("startsAt", Instant.now().plus(Duration.ofDays(1)).toString()));
        UUID id = fixtures.create(tenant, body);

        Map<?, ?> started = fixtures.control(tenant, id, "start");

        assertThat(started.get("status")).isEqualTo("scheduled");
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ?", id)).isEqualTo(4);
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ? AND status = "
                + "'skipped' AND skip_reason = 'opted_out' AND contact_id = ?", id, optedOut)).isEqualTo(1);
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ? AND status = "
                + "'pending' AND contact_id IN (?, ?, ?)", id, inGroup, tagged, listed)).isEqualTo(3);
        assertThat(fixtures.count("SELECT count(DISTINCT session_id) FROM campaign.recipients WHERE campaign_id = ?",
                id)).isEqualTo(2);
        Map<?, ?> counters = (Map<?, ?>) started.get("counters");
        assertThat(counters.get("total")).isEqualTo(4);
        assertThat(counters.get("pending")).isEqualTo(3);
        assertThat(counters.get("skipped")).isEqualTo(1);
        expectConflict(tenant, id, "start");
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ?", id)).isEqualTo(4);

        List<ConsumerRecord<String, byte[]>> events = TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS, id, 1);
        assertThat(TopicRecords.types(events)).contains(EventTypes.CAMPAIGN_STARTED);
        CampaignProgress progress = TopicRecords.payload(events.getFirst(), CampaignProgress.class);
        assertThat(progress.total()).isEqualTo(4);
        assertThat(progress.skipped()).isEqualTo(1);
        web.get().uri("/api/v1/campaigns/{id}/progress", id)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("scheduled")
                .jsonPath("$.pending").isEqualTo(3);
    }

    @Test
    void scheduledCampaignRunsWhenItsTimeComesAndIsAnnouncedAsRunning() {
        String tenant = "tenant-scheduled-" + UUID.randomUUID();
        fixtures.contacts(tenant, "later", 3);
        Map<String, Object> body = new HashMap<>(CampaignFixtures.body("Later", "later", List.of(UUID.randomUUID())));
        body.put("schedule", Map.of("startsAt", Instant.now().plus(Duration.ofSeconds(2)).toString()));
        UUID id = fixtures.create(tenant, body);

        assertThat(fixtures.control(tenant, id, "start").get("status")).isEqualTo("scheduled");

        await().atMost(Duration.ofSeconds(15)).until(() -> fixtures.count(
                "SELECT count(*) FROM campaign.campaigns WHERE id = ? AND status = 'running'", id) == 1);
        // progress events may follow once it runs: the two starts are what counts
        List<ConsumerRecord<String, byte[]>> events = TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS, id, 2).stream()
                .filter(event -> EventTypes.CAMPAIGN_STARTED.equals(TopicRecords.header(event, "ce_type")))
                .toList();
        assertThat(events.stream().map(event -> TopicRecords.payload(event, CampaignProgress.class).status().value()))
                .containsExactly("scheduled", "running");
        assertThat(events.stream().map(event -> TopicRecords.header(event, "ce_id")).distinct()).hasSize(2);
    }

    @Test
    void aHundredThousandRecipientsMaterialiseInOneStatement() {
        String tenant = "tenant-large-" + UUID.randomUUID();
        fixtures.contacts(tenant, "everyone", 100_000);
        Map<String, Object> body = new HashMap<>(CampaignFixtures.body("Large", "everyone",
                List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())));
        body.put("schedule", Map.of("startsAt", Instant.now().plus(Duration.ofDays(1)).toString()));
        UUID id = fixtures.create(tenant, body);

        long started = System.nanoTime();
        fixtures.control(tenant, id, "start");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ?", id))
                .isEqualTo(100_000);
        assertThat(fixtures.count("SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM campaign.recipients "
                + "WHERE campaign_id = ? GROUP BY session_id) s", id)).isLessThanOrEqualTo(1);
        // generous on a shared 2-core machine; row-by-row inserts would take about a minute
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void sessionPacingHasDefaultsValidatesAndBelongsToOneTenant() {
        UUID session = UUID.randomUUID();
        web.get().uri("/api/v1/sessions/{id}/pacing", session)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT))).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.messagesPerMinute").isEqualTo(20)
                .jsonPath("$.dailyCap").isEqualTo(1000);
        web.put().uri("/api/v1/sessions/{id}/pacing", session)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("messagesPerMinute", 0, "jitterPercent", 150, "dailyCap", 10, "warmupDays", 0,
                        "warmupStartCap", 1))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(2);
        fixtures.pacing(TENANT, session, 30, 10, 500);
        web.get().uri("/api/v1/sessions/{id}/pacing", session)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(TENANT))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.messagesPerMinute").isEqualTo(30);
        web.get().uri("/api/v1/sessions/{id}/pacing", session)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(OTHER))).exchange()
                .expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec post(String tenant, Map<String, Object> body) {
        return web.post().uri("/api/v1/campaigns").headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec patch(UUID id, String ifMatch) {
        return web.patch().uri("/api/v1/campaigns/{id}", id)
                .headers(h -> {
                    h.setBearerAuth(CampaignFixtures.admin(TENANT));
                    if (ifMatch != null) {
                        h.set("If-Match", ifMatch);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Renamed", "schedule", Map.of("timeZone", "America/Mexico_City")))
                .exchange();
    }

    private void expectConflict(UUID id, String action) {
        expectConflict(TENANT, id, action);
    }

    private void expectConflict(String tenant, UUID id, String action) {
        web.post().uri("/api/v1/campaigns/{id}/{action}", id, action)
                .headers(h -> h.setBearerAuth(CampaignFixtures.admin(tenant))).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "illegal-campaign-transition");
    }
}
