package dev.conversa.simulator.cloudapi;

import static dev.conversa.simulator.cloudapi.CloudApiFixture.answer;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.register;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendTemplate;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueBusinessNumber;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.core.UnknownBusinessNumberException;
import dev.conversa.simulator.core.WaMessageIds;
import dev.conversa.simulator.webhook.WebhookReceiver;
import tools.jackson.databind.JsonNode;

class CloudNumbersControlIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.cloud-api.numbers[0].phone-number-id", "100000000000001")
            .withProperty("simulator.cloud-api.numbers[0].phone-number", "+15550783881")
            .withProperty("simulator.cloud-api.numbers[0].access-token", "startup-token")
            .withProperty("simulator.cloud-api.numbers[0].app-secret", "startup-secret");

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final WebTestClient client = CloudApiFixture.client(whatsapp.simulator());

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Map<String, Object> registration(String id, String phoneNumber) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phoneNumberId", id);
        body.put("phoneNumber", phoneNumber);
        body.put("accessToken", "token-" + id);
        body.put("appSecret", "secret-" + id);
        body.put("webhookUrl", receiver.url());
        body.put("verifyToken", "verify-token");
        return body;
    }

    private CloudApiFixture.Answer post(String path, Object body) {
        return answer(client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange());
    }

    private CloudApiFixture.Answer verify(CloudApiFixture.Number number, Object body) {
        return post("/sim/cloud/numbers/" + number.phoneNumberId() + "/verify-webhook", body);
    }

    @Test
    void aRegisteredNumberIsShownWithoutItsSecretsAndServesItsPhoneNumber() {
        String phone = uniqueBusinessNumber();

        CloudApiFixture.Answer created = post("/sim/cloud/numbers", registration("200000000000001", "+" + phone));

        assertThat(created.status()).isEqualTo(HttpStatus.CREATED);
        JsonNode view = created.body();
        assertThat(view.path("phoneNumberId").asString()).isEqualTo("200000000000001");
        assertThat(view.path("phoneNumber").asString()).isEqualTo(phone);
        assertThat(view.path("displayName").asString()).isEqualTo("+" + phone);
        assertThat(view.path("wabaId").asString()).matches("[0-9]{15}");
        assertThat(view.path("messagesPerSecond").doubleValue()).isEqualTo(80.0);
        assertThat(view.path("webhooks").path("queued").longValue()).isZero();
        assertThat(view.toString()).doesNotContain("token-200000000000001", "secret-200000000000001");
        JsonNode list = answer(client.get().uri("/sim/cloud/numbers").exchange()).body();
        assertThat(list.findValuesAsString("phoneNumberId")).contains("200000000000001");
        assertThat(answer(client.get().uri("/sim/cloud/numbers/200000000000001").exchange()).body()
                .path("phoneNumber").asString()).isEqualTo(phone);
        assertThat(whatsapp.simulator().bean(CloudNumbers.class).findByPhoneNumber(phone)).isPresent();
    }

    @Test
    void numbersConfiguredInPropertiesAreRegisteredAtStart() {
        JsonNode view = answer(client.get().uri("/sim/cloud/numbers/100000000000001").exchange()).body();

        assertThat(view.path("phoneNumber").asString()).isEqualTo("15550783881");
        assertThat(view.path("webhookUrl").isNull()).isTrue();
    }

    @Test
    void registeringTheSameIdAgainReplacesItsSettings() {
        String phone = uniqueBusinessNumber();
        post("/sim/cloud/numbers", registration("200000000000002", phone));
        Map<String, Object> changed = registration("200000000000002", phone);
        changed.put("displayName", "Tienda Nueva");

        CloudApiFixture.Answer replaced = post("/sim/cloud/numbers", changed);

        assertThat(replaced.status()).isEqualTo(HttpStatus.OK);
        assertThat(replaced.body().path("displayName").asString()).isEqualTo("Tienda Nueva");
    }

    @Test
    void aPhoneNumberTakenByAnotherIdIsAConflictProblem() {
        String phone = uniqueBusinessNumber();
        post("/sim/cloud/numbers", registration("200000000000003", phone));

        CloudApiFixture.Answer conflict = post("/sim/cloud/numbers", registration("200000000000004", phone));

        assertThat(conflict.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(conflict.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(conflict.body().path("detail").asString()).contains("200000000000003");
    }

    @Test
    void anIncompleteOrInvalidRegistrationIsABadRequestProblem() {
        Map<String, Object> noToken = registration("200000000000005", uniqueBusinessNumber());
        noToken.remove("accessToken");
        Map<String, Object> notAPhone = registration("200000000000006", "no-phone");

        CloudApiFixture.Answer missing = post("/sim/cloud/numbers", noToken);
        CloudApiFixture.Answer invalid = post("/sim/cloud/numbers", notAPhone);

        assertThat(missing.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(missing.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(invalid.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(invalid.body().path("detail").asString()).contains("no-phone");
    }

    @Test
    void aDeletedNumberIsGoneFromTheControlApiTheGraphApiAndInboundRouting() {
        CloudApiFixture.Number number = register(client, receiver.url());

        client.delete().uri("/sim/cloud/numbers/" + number.phoneNumberId()).exchange()
                .expectStatus().isNoContent().expectBody(Void.class);

        CloudApiFixture.Answer lookup = answer(client.get().uri("/sim/cloud/numbers/" + number.phoneNumberId())
                .exchange());
        assertThat(lookup.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(lookup.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(sendTemplate(client, number, uniqueCustomer()).errorCode()).isEqualTo(190);
        client.delete().uri("/sim/cloud/numbers/" + number.phoneNumberId()).exchange().expectStatus().isNotFound()
                .expectBody(Void.class);
        InboundMessage message = new InboundMessage(WaMessageIds.next(), uniqueCustomer(), number.phoneNumber(),
                "Ana", "text", "¿hola?", null, null, null, null, null, Instant.now(), null);
        assertThatThrownBy(() -> whatsapp.simulator().bean(InboundRouter.class).deliver(message)
                .block(Duration.ofSeconds(5))).isInstanceOf(UnknownBusinessNumberException.class);
    }

    @Test
    void verifyWebhookPerformsMetasHandshakeAndReportsTheEchoedChallenge() {
        CloudApiFixture.Number number = register(client, receiver.url());
        receiver.expectVerifyToken("verify-token");

        JsonNode result = verify(number, Map.of()).body();

        assertThat(result.path("verified").booleanValue()).isTrue();
        assertThat(result.path("status").intValue()).isEqualTo(200);
        assertThat(result.path("echoed").asString()).isEqualTo(result.path("challenge").asString());
        assertThat(receiver.verificationQueries()).singleElement().satisfies(query -> assertThat(query)
                .contains("hub.mode=subscribe", "hub.challenge=" + result.path("challenge").asString(),
                        "hub.verify_token=verify-token"));
    }

    @Test
    void verifyWebhookReportsAReceiverThatRefusesTheToken() {
        CloudApiFixture.Number number = register(client, receiver.url());

        JsonNode result = verify(number, Map.of("verifyToken", "wrong token")).body();

        assertThat(result.path("verified").booleanValue()).isFalse();
        assertThat(result.path("status").intValue()).isEqualTo(403);
        assertThat(receiver.verificationQueries().getFirst()).contains("hub.verify_token=wrong+token");
    }

    @Test
    void verifyWebhookReportsAnUnreachableReceiver() {
        CloudApiFixture.Number number = register(client, "http://127.0.0.1:1/webhook");

        JsonNode result = verify(number, Map.of()).body();

        assertThat(result.path("verified").booleanValue()).isFalse();
        assertThat(result.path("status").isNull()).isTrue();
        assertThat(result.path("error").asString()).isNotBlank();
    }

    @Test
    void theGlobalBehaviourIsValidatedAndKeepsFieldsNotGiven() {
        CloudApiFixture.Answer invalid = answer(client.put().uri("/sim/cloud/webhooks/behaviour")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("duplicateRate", 1.5)).exchange());
        assertThat(invalid.status()).isEqualTo(HttpStatus.BAD_REQUEST);

        JsonNode reorder = answer(client.put().uri("/sim/cloud/webhooks/behaviour")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reorderStatuses", true)).exchange())
                .body();
        JsonNode back = answer(client.put().uri("/sim/cloud/webhooks/behaviour")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reorderStatuses", false)).exchange())
                .body();

        assertThat(reorder.path("reorderStatuses").booleanValue()).isTrue();
        assertThat(reorder.path("duplicateRate").doubleValue()).isZero();
        assertThat(back.path("reorderStatuses").booleanValue()).isFalse();
    }
}
