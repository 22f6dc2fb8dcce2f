package dev.conversa.simulator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.simulator.webhook.WebhookReceiver;
import tools.jackson.databind.JsonNode;

/**
 * The control API on a running simulator, with a Cloud API number whose webhook is a real local receiver: phones,
 * injected messages, load runs, faults, bans and the ground truth agree with what the receiver got.
 */
class ControlApiIntegrationTest {

    private static final String BUSINESS = "15550001111";
    private static final String TOKEN = "control-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static WhatsAppSimulator simulator;
    private static WebhookReceiver receiver;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        simulator = WhatsAppSimulator.builder()
                .property("simulator.receipts.delivered-after", "20ms")
                .property("simulator.receipts.read-after", "40ms")
                .start();
        receiver = WebhookReceiver.start();
        client = WebTestClient.bindToServer().baseUrl(simulator.baseUrl().toString())
                .responseTimeout(TIMEOUT).build();
        client.post().uri("/sim/cloud/numbers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("phoneNumberId", "900001", "phoneNumber", "+" + BUSINESS, "accessToken", TOKEN,
                        "appSecret", "control-secret", "webhookUrl", receiver.url(), "verifyToken", "v"))
                .exchange().expectStatus().is2xxSuccessful();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        simulator.close();
    }

    @BeforeEach
    void clean() {
        receiver.clear();
        client.delete().uri("/sim/truth").exchange().expectStatus().isNoContent();
        client.delete().uri("/sim/faults").exchange().expectStatus().isNoContent();
    }

    @Test
    void createsPhonesAndRejectsWhatIsNotANumber() {
        client.post().uri("/sim/phones").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("number", "+54 9 11 5555-0101", "name", "Ana", "onWhatsApp", false))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.number").isEqualTo("5491155550101").jsonPath("$.onWhatsApp").isEqualTo(false);
        client.get().uri("/sim/phones/5491155550101").exchange().expectStatus().isOk();
        client.get().uri("/sim/phones/5491155559999").exchange().expectStatus().isNotFound();
        client.post().uri("/sim/phones").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("number", "not-a-number")).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void messageToANumberNobodyServesIsRefusedWith404() {
        client.post().uri("/sim/phones/5491155550102/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", "15559990000", "text", "hola")).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void injectedMessagesReachTheWebhookInOrderAndAreCounted() {
        String single = client.post().uri("/sim/phones/5491155550103/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", BUSINESS, "text", "primero")).exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("waMessageId").asString();
        client.post().uri("/sim/inbound/batch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("messages", List.of(
                        Map.of("from", "5491155550103", "to", BUSINESS, "text", "segundo"),
                        Map.of("from", "5491155550103", "to", BUSINESS, "text", "tercero"))))
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted").isEqualTo(2);

        await().atMost(TIMEOUT).until(() -> receiver.messages().size() == 3);
        assertThat(receiver.messages()).extracting(message -> message.get("text").get("body").asString())
                .containsExactly("primero", "segundo", "tercero");
        assertThat(receiver.messages().getFirst().get("id").asString()).isEqualTo(single);
        client.get().uri("/sim/truth/numbers/" + BUSINESS).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.inboundDelivered").isEqualTo(3);
    }

    @Test
    void loadRunDeliversExactlyTheRateTimesTheDurationStampedWithTheirSendTime() {
        JsonNode job = client.post().uri("/sim/load").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ratePerSecond", 300, "businessNumbers", List.of(BUSINESS), "durationSeconds", 1,
                        "customers", 50))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = job.get("id").asString();
        assertThat(job.get("planned").asLong()).isEqualTo(300);

        await().atMost(TIMEOUT).until(() -> "finished".equals(client.get().uri("/sim/load/" + id).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("state").asString()));
        client.get().uri("/sim/load/" + id).exchange().expectBody()
                .jsonPath("$.delivered").isEqualTo(300).jsonPath("$.failed").isEqualTo(0);
        await().atMost(TIMEOUT).until(() -> receiver.messages().size() == 300);
        Set<String> ids = receiver.messages().stream().map(message -> message.get("id").asString())
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(300);
        Set<String> customers = receiver.messages().stream().map(message -> message.get("from").asString())
                .collect(Collectors.toSet());
        assertThat(customers).hasSize(50);
        client.get().uri("/sim/load/not-a-run").exchange().expectStatus().isNotFound();
    }

    @Test
    void clientKeySentTwiceShowsUpAsADuplicateInTheGroundTruth() {
        for (int i = 0; i < 2; i++) {
            client.post().uri("/v25.0/900001/messages").headers(headers -> headers.setBearerAuth(TOKEN))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("messaging_product", "whatsapp", "to", "+5491155550104", "type", "template",
                            "template", Map.of("name", "hello", "language", Map.of("code", "es")),
                            "biz_opaque_callback_data", "campaign-7/recipient-1"))
                    .exchange().expectStatus().isOk();
        }

        client.get().uri(uri -> uri.path("/sim/truth/numbers/{number}/client-refs")
                        .queryParam("key", "{key}").build(BUSINESS, "campaign-7/recipient-1")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.count").isEqualTo(2);
        client.get().uri("/sim/truth/duplicates").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.keys").isEqualTo(1);
        client.get().uri("/sim/truth/numbers/" + BUSINESS).exchange()
                .expectBody().jsonPath("$.outboundAccepted").isEqualTo(2);
    }

    @Test
    void faultsAreSetListedAndCleared() {
        client.put().uri("/sim/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("number", BUSINESS, "latencyMillis", 250, "dropRate", 0.5)).exchange()
                .expectStatus().isOk();
        client.get().uri("/sim/faults").exchange().expectBody()
                .jsonPath("$['" + BUSINESS + "'].dropRate").isEqualTo(0.5);
        client.put().uri("/sim/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("number", BUSINESS, "dropRate", 1.5)).exchange()
                .expectStatus().isBadRequest();
        client.delete().uri("/sim/faults/" + BUSINESS).exchange().expectStatus().isNoContent();
        client.get().uri("/sim/faults").exchange().expectBody().json("{}");
    }

    @Test
    void operatorBanStopsSendsWith368UntilLifted() {
        client.post().uri("/sim/bans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("number", BUSINESS, "reason", "reported")).exchange()
                .expectStatus().isNoContent();
        client.get().uri("/sim/bans").exchange().expectBody(List.class)
                .value(banned -> assertThat(banned).contains(BUSINESS));
        client.post().uri("/v25.0/900001/messages").headers(headers -> headers.setBearerAuth(TOKEN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("messaging_product", "whatsapp", "to", "+5491155550105", "type", "template",
                        "template", Map.of("name", "hello", "language", Map.of("code", "es"))))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.code").isEqualTo(368);

        client.delete().uri("/sim/bans/" + BUSINESS).exchange().expectStatus().isNoContent();
        client.get().uri("/sim/bans").exchange().expectBody(List.class)
                .value(banned -> assertThat(banned).doesNotContain(BUSINESS));
    }
}
