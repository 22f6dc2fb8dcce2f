package dev.conversa.campaign.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.contact.ContactImportProgress;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TopicRecords;

/** Contacts on real servers: CSV import, CRUD, and opt-out from {@code wa.message.inbound}. */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.recordOptOut-in-0.group=${conversa.test.opt-out-group}",
        "spring.cloud.stream.kafka.bindings.recordOptOut-in-0.consumer.start-offset=latest",
        "conversa.contacts.max-file-size=200KB",
        "conversa.contacts.batch-size=50",
        "conversa.contacts.progress-every=100",
})
class ContactsIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final java.util.Set<String> ASSIGNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    EventPublisher publisher;

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void group(DynamicPropertyRegistry registry) {
        String group = "campaign-contacts-test-" + UUID.randomUUID();
        registry.add("conversa.test.opt-out-group", () -> group);
    }

    @BeforeEach
    void setUp() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private static String admin(String tenant) {
        return TestJwts.get().token("admin-1", tenant, "admin");
    }

    private WebTestClient.ResponseSpec upload(String tenant, byte[] csv, String query) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(csv)).filename("contacts.csv").contentType(MediaType.TEXT_PLAIN);
        return web.post().uri("/api/v1/contacts/import" + query)
                .headers(h -> h.setBearerAuth(admin(tenant)))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private Map<?, ?> importOk(String tenant, String csv, String query) {
        return upload(tenant, csv.getBytes(StandardCharsets.UTF_8), query).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private long count(String sql, Object... parameters) {
        return servers.database().queryLong(sql, parameters);
    }

    @Test
    void importCountsAcceptedRejectedAndDuplicateRowsWithLineNumbers() {
        String tenant = "tenant-import-" + UUID.randomUUID();
        String csv = "Teléfono;Nombre;Grupo;Etiquetas;Ciudad\n"
                + "612 34 56 78;Ana;vip|madrid;nuevo;Madrid\n"
                + "12;Bad;;;\n"
                + "+34612345678;Ana again;;;\n"
                + "0052 55 1234 5678;\"Luis\nPérez\";mx;;CDMX\n"
                + "hola;Nope;;;\n";
        Map<?, ?> job = importOk(tenant, csv, "?group=import-1");

        assertThat(List.of(job.get("status"), job.get("rowsRead"), job.get("accepted"), job.get("rejected"),
                job.get("duplicates"))).containsExactly("completed", 5, 2, 2, 1);
        List<?> rejections = (List<?>) job.get("rejections");
        assertThat(rejections.stream().map(r -> (Object) ((Map<?, ?>) r).get("line")).toList()).containsExactly(3, 7);
        assertThat(servers.database().queryRow("""
                SELECT name, attributes->>'Ciudad' AS city, array_to_string(groups, ',') AS groups,
                       array_to_string(tags, ',') AS tags
                  FROM campaign.contacts WHERE tenant_id = ? AND phone = '+34612345678'""", tenant))
                .containsEntry("name", "Ana").containsEntry("city", "Madrid")
                .containsEntry("groups", "vip,madrid,import-1").containsEntry("tags", "nuevo");
        assertThat(servers.database().queryString(
                "SELECT name FROM campaign.contacts WHERE tenant_id = ? AND phone = '+525512345678'", tenant))
                .isEqualTo("Luis\nPérez");

        String id = (String) job.get("id");
        web.get().uri("/api/v1/contacts/imports/" + id).headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(2);
        Map<?, ?> page = web.get().uri("/api/v1/contacts/imports/" + id + "/rejections?size=1")
                .headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).hasSize(1);
        web.get().uri("/api/v1/contacts/imports/" + id + "/rejections?size=1&cursor=" + page.get("nextCursor"))
                .headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[0].line").isEqualTo(7)
                .jsonPath("$.nextCursor").doesNotExist();
        web.get().uri("/api/v1/contacts/imports/" + id).headers(h -> h.setBearerAuth(admin("someone-else")))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void reimportMergesAttributesUnionsLabelsAndNeverOptsBackIn() {
        String tenant = "tenant-merge-" + UUID.randomUUID();
        importOk(tenant, "phone,name,group,city\n+34612345678,Ana,a,Madrid\n", "");
        servers.database().update("UPDATE campaign.contacts SET opted_out = true WHERE tenant_id = ?", tenant);

        importOk(tenant, "phone,group,plan\n612345678,b|a,gold\n", "");

        assertThat(servers.database().queryRow("""
                SELECT name, attributes::text AS attributes, array_to_string(groups, ',') AS groups, opted_out
                  FROM campaign.contacts WHERE tenant_id = ?""", tenant))
                .containsEntry("name", "Ana").containsEntry("groups", "a,b").containsEntry("opted_out", true)
                .satisfies(row -> assertThat((String) row.get("attributes")).contains("\"city\": \"Madrid\"")
                        .contains("\"plan\": \"gold\""));
    }

    @Test
    void latin1FileWithTabsImportsItsAccents() {
        String tenant = "tenant-latin1-" + UUID.randomUUID();
        byte[] csv = "móvil\tnombre\n612345678\tBegoña\n".getBytes(StandardCharsets.ISO_8859_1);
        upload(tenant, csv, "").expectStatus().isCreated().expectBody().jsonPath("$.accepted").isEqualTo(1);
        assertThat(servers.database().queryString("SELECT name FROM campaign.contacts WHERE tenant_id = ?", tenant))
                .isEqualTo("Begoña");
    }

    @Test
    void headerWithoutPhoneAnswers400AndWritesNothing() {
        String tenant = "tenant-nophone-" + UUID.randomUUID();
        upload(tenant, "name,city\nAna,Madrid\n".getBytes(StandardCharsets.UTF_8), "")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("phone"));
        assertThat(count("SELECT count(*) FROM campaign.contact_imports WHERE tenant_id = ?", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM campaign.contacts WHERE tenant_id = ?", tenant)).isZero();
    }

    @Test
    void oversizeFileAnswers413() {
        String tenant = "tenant-big-" + UUID.randomUUID();
        StringBuilder csv = new StringBuilder("phone,name\n");
        while (csv.length() < 400 * 1024) {
            csv.append("+34612345678,Someone with a long name to fill the file quickly\n");
        }
        Map<?, ?> problem = upload(tenant, csv.toString().getBytes(StandardCharsets.UTF_8), "")
                .expectStatus().isEqualTo(413).expectBody(Map.class).returnResult().getResponseBody();

        assertThat(problem.get("type")).isEqualTo("https://conversa.dev/problems/payload-too-large");
        // the upload streams in (no Content-Length here): what came before the limit is committed, and the job
        // says the file was refused
        assertThat(servers.database().queryRow("SELECT status, error, accepted FROM campaign.contact_imports "
                + "WHERE tenant_id = ? AND id = ?::uuid", tenant, problem.get("importId")))
                .containsEntry("status", "failed")
                .satisfies(row -> assertThat((String) row.get("error")).contains("larger than"))
                .satisfies(row -> assertThat(((Number) row.get("accepted")).longValue()).isEqualTo(
                        count("SELECT count(*) FROM campaign.contacts WHERE tenant_id = ?", tenant)));
    }

    @Test
    void unclosedQuoteFailsTheJobWithItsLineAfterCommittingEarlierBatches() {
        String tenant = "tenant-broken-" + UUID.randomUUID();
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < 120; i++) {
            csv.append("+346120").append(String.format("%05d", i)).append(",Row ").append(i).append('\n');
        }
        csv.append("+34699999999,\"never closed\n+34699999998,x\n");
        Map<?, ?> job = importOk(tenant, csv.toString(), "");

        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("error")).contains("line 122").contains("not closed");
        long accepted = ((Number) job.get("accepted")).longValue();
        assertThat(accepted).isEqualTo(count("SELECT count(*) FROM campaign.contacts WHERE tenant_id = ?", tenant));
        assertThat(accepted).isEqualTo(100);

        List<ContactImportProgress> events = TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS,
                        UUID.fromString((String) job.get("id")), 3).stream()
                .map(record -> TopicRecords.payload(record, ContactImportProgress.class)).toList();
        assertThat(events.getLast().status().value()).isEqualTo("failed");
        assertThat(events.getLast().error()).contains("line 122");
    }

    @Test
    void batchesWrittenConcurrentlyKeepExactCountersLinesAndTheFirstRowOfANumber() {
        String tenant = "tenant-concurrent-" + UUID.randomUUID();
        // 1,000 rows in batches of 50, normalised and written two at a time: every 7th row has no valid phone,
        // every 10th repeats the number of the row 25 before it (often in an earlier batch) under another name
        StringBuilder csv = new StringBuilder("phone,name,note\n");
        List<Long> rejectedLines = new ArrayList<>();
        java.util.Map<String, String> firstNames = new java.util.LinkedHashMap<>();
        int duplicates = 0;
        for (int row = 0; row < 1000; row++) {
            long line = row + 2;
            String name = "Row " + row + (row % 3 == 0 ? " \"quoted\", {braced} \\ slash" : "");
            if (row % 7 == 3) {
                csv.append("12345,").append(quoted(name)).append(",x\n");
                rejectedLines.add(line);
                continue;
            }
            int numberOf = row % 10 == 9 && row >= 25 && (row - 25) % 7 != 3 ? row - 25 : row;
            String phone = "+346120" + String.format("%05d", numberOf);
            if (firstNames.containsKey(phone)) {
                duplicates++;
            }
            else {
                firstNames.put(phone, name);
            }
            csv.append(phone).append(',').append(quoted(name)).append(",note ").append(row).append('\n');
        }
        Map<?, ?> job = importOk(tenant, csv.toString(), "");

        assertThat(List.of(job.get("status"), job.get("rowsRead"), job.get("accepted"), job.get("rejected"),
                job.get("duplicates"))).containsExactly("completed", 1000, firstNames.size(), rejectedLines.size(),
                duplicates);
        assertThat(count("SELECT count(*) FROM campaign.contacts WHERE tenant_id = ?", tenant))
                .isEqualTo(firstNames.size());
        assertThat(servers.database().queryString("SELECT string_agg(line::text, ',' ORDER BY line) "
                + "FROM campaign.contact_import_rejections WHERE import_id = ?::uuid", job.get("id")))
                .isEqualTo(String.join(",", rejectedLines.stream().map(String::valueOf).toList()));
        assertThat(servers.database().queryString("SELECT string_agg(phone || '=' || name, E'\\n' ORDER BY phone) "
                + "FROM campaign.contacts WHERE tenant_id = ?", tenant))
                .isEqualTo(String.join("\n", firstNames.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(entry -> entry.getKey() + "=" + entry.getValue()).toList()));

        List<ContactImportProgress> events = TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS,
                        UUID.fromString((String) job.get("id")), 12).stream()
                .map(record -> TopicRecords.payload(record, ContactImportProgress.class)).toList();
        // the start, one per 100 rows committed (progress-every), the end
        assertThat(events).hasSize(12);
        assertThat(events.getLast().status().value()).isEqualTo("completed");
        assertThat(events.subList(1, 11)).allSatisfy(event -> assertThat(event.status().value())
                .isEqualTo("processing"));
    }

    private static String quoted(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    @Test
    void crudIsScopedToTheTenantAndPatchNeedsTheCurrentVersion() {
        String tenant = "tenant-crud-" + UUID.randomUUID();
        Map<?, ?> created = web.post().uri("/api/v1/contacts").headers(h -> h.setBearerAuth(admin(tenant)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("phone", "55 1234 5678", "defaultRegion", "MX", "name", "Luis",
                        "groups", List.of("vip"), "tags", List.of("a")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created.get("phone")).isEqualTo("+525512345678");
        String id = (String) created.get("id");
        web.post().uri("/api/v1/contacts").headers(h -> h.setBearerAuth(admin(tenant)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("phone", "+52 55 1234 5678"))
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.contactId").isEqualTo(id);

        web.get().uri("/api/v1/contacts/" + id).headers(h -> h.setBearerAuth(admin("other-" + tenant))).exchange()
                .expectStatus().isNotFound();
        web.patch().uri("/api/v1/contacts/" + id).headers(h -> h.setBearerAuth(admin(tenant)))
                .header("If-Match", "\"7\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Luisa")).exchange().expectStatus().isEqualTo(412);
        web.patch().uri("/api/v1/contacts/" + id).headers(h -> h.setBearerAuth(admin(tenant)))
                .header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Luisa", "tags", List.of("b"))).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody().jsonPath("$.name").isEqualTo("Luisa").jsonPath("$.tags[0]").isEqualTo("b");

        web.post().uri("/api/v1/contacts/" + id + "/opt-out").headers(h -> h.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.optedOut").isEqualTo(true);
        web.get().uri("/api/v1/contacts?optedOut=true").headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo(id);
        web.get().uri("/api/v1/contacts/groups").headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[0].name").isEqualTo("vip")
                .jsonPath("$.items[0].contacts").isEqualTo(1);
        web.delete().uri("/api/v1/contacts/" + id).headers(h -> h.setBearerAuth(admin("other-" + tenant)))
                .exchange().expectStatus().isNotFound();
        web.delete().uri("/api/v1/contacts/" + id).headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isNoContent();
    }

    @Test
    void listingWalksPagesWithTheCursorAndFilters() {
        String tenant = "tenant-pages-" + UUID.randomUUID();
        importOk(tenant, "phone,name,group\n+34612000001,Ana,x\n+34612000002,Bea,x\n+34612000003,Carla,y\n"
                + "+34612000004,Dora,x\n+34612000005,Eva,x\n", "");
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Map<?, ?> page = web.get().uri("/api/v1/contacts?group=x&size=2" + (cursor == null ? "" : "&cursor="
                            + cursor)).headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            ((List<?>) page.get("items")).forEach(item -> names.add((String) ((Map<?, ?>) item).get("name")));
            cursor = (String) page.get("nextCursor");
        }
        while (cursor != null);
        assertThat(names).containsExactlyInAnyOrder("Ana", "Bea", "Dora", "Eva");
        web.get().uri("/api/v1/contacts?q=carl").headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(1);
        web.get().uri("/api/v1/contacts?size=201").headers(h -> h.setBearerAuth(admin(tenant))).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void stopFromWhatsAppOptsOutOnceEvenWhenRedelivered() {
        String group = environment.getRequiredProperty("conversa.test.opt-out-group");
        if (ASSIGNED.add(group)) {
            TestKafka.awaitAssignment(group, Topics.WA_MESSAGE_INBOUND, TIMEOUT);
        }
        String tenant = "tenant-stop-" + UUID.randomUUID();
        importOk(tenant, "phone,name\n+34612345678,Ana\n", "");
        UUID session = UUID.randomUUID();
        Instant sent = Instant.parse("2026-11-20T10:00:00Z");
        String eventId = UUID.randomUUID().toString();
        inbound(tenant, session, "+34612345678", " Stop ", sent, eventId);
        inbound(tenant, session, "+34699000111", "BAJA", sent, UUID.randomUUID().toString());
        inbound(tenant, session, "+34699000222", "hola, quiero info", sent, UUID.randomUUID().toString());

        Awaitility.await().atMost(TIMEOUT).until(() -> count(
                "SELECT count(*) FROM campaign.contacts WHERE tenant_id = ? AND opted_out", tenant) == 2);
        Map<String, Object> ana = servers.database().queryRow("""
                SELECT opt_out_reason, version, name FROM campaign.contacts
                 WHERE tenant_id = ? AND phone = '+34612345678'""", tenant);
        assertThat(ana).containsEntry("opt_out_reason", "keyword:STOP").containsEntry("name", "Ana");

        inbound(tenant, session, "+34612345678", "STOP", sent.plusSeconds(60), eventId);
        inbound(tenant, session, "+34699000333", "alto", sent, UUID.randomUUID().toString());
        Awaitility.await().atMost(TIMEOUT).until(() -> count(
                "SELECT count(*) FROM campaign.contacts WHERE tenant_id = ? AND opted_out", tenant) == 3);
        assertThat(servers.database().queryRow("""
                SELECT opt_out_reason, version FROM campaign.contacts WHERE tenant_id = ? AND phone = '+34612345678'""",
                tenant)).isEqualTo(Map.of("opt_out_reason", "keyword:STOP", "version", ana.get("version")));
        assertThat(count("SELECT count(*) FROM campaign.contacts WHERE tenant_id = ? AND phone = '+34699000222'",
                tenant)).isZero();
    }

    private void inbound(String tenant, UUID session, String from, String text, Instant at, String eventId) {
        MessageReceived message = new MessageReceived(tenant, session, "wamid." + UUID.randomUUID(), from, null,
                MessageType.TEXT, text, null, null, null, null, null, at, at);
        EventMetadata metadata = new EventMetadata(eventId, EventTypes.MESSAGE_RECEIVED, "/session-service", at,
                session.toString(), tenant, session.toString());
        publisher.publish(Topics.WA_MESSAGE_INBOUND, metadata, message, session.toString()).block(TIMEOUT);
    }
}
