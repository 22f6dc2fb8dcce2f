package dev.conversa.simulator.cloudapi;

import static dev.conversa.simulator.cloudapi.CloudApiFixture.answer;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.customerWrites;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.register;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendTemplate;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.core.WaMessageIds;
import dev.conversa.simulator.webhook.WebhookReceiver;
import tools.jackson.databind.JsonNode;

class CloudApiWebhooksIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.receipts.delivered-after", "100ms")
            .withProperty("simulator.receipts.read-after", "300ms")
            .withProperty("simulator.webhooks.initial-backoff", "50ms")
            .withProperty("simulator.webhooks.max-backoff", "200ms");

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final WebTestClient client = CloudApiFixture.client(whatsapp.simulator());

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }


    private JsonNode numberView(CloudApiFixture.Number number) {
        return answer(client.get().uri("/sim/cloud/numbers/" + number.phoneNumberId()).exchange()).body();
    }

    @Test
    void aPhonesMessageArrivesAsMetasSignedEnvelope() {
        CloudApiFixture.Number number = register(client, receiver.url(), Map.of("wabaId", "102290129340398"));
        String customer = uniqueCustomer();
        InboundMessage message = new InboundMessage(WaMessageIds.next(), customer, number.phoneNumber(), "Sheena",
                "text", "Does it come in another color?", null, null, null, null, null, Instant.now(), null);

        whatsapp.simulator().bean(InboundRouter.class).deliver(message).block(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 1);
        WebhookReceiver.Post post = receiver.accepted().getFirst();
        assertThat(WebhookReceiver.signedWith(post, number.appSecret())).isTrue();
        JsonNode json = post.json();
        assertThat(json.path("object").asString()).isEqualTo("whatsapp_business_account");
        JsonNode entry = json.path("entry").get(0);
        assertThat(entry.path("id").asString()).isEqualTo("102290129340398");
        JsonNode change = entry.path("changes").get(0);
        assertThat(change.path("field").asString()).isEqualTo("messages");
        JsonNode value = change.path("value");
        assertThat(value.path("metadata").path("phone_number_id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(value.path("contacts").get(0).path("profile").path("name").asString()).isEqualTo("Sheena");
        JsonNode received = value.path("messages").get(0);
        assertThat(received.path("from").asString()).isEqualTo(customer);
        assertThat(received.path("id").asString()).isEqualTo(message.waMessageId());
        assertThat(received.path("timestamp").asString())
                .isEqualTo(Long.toString(message.timestamp().getEpochSecond()));
        assertThat(received.path("text").path("body").asString()).isEqualTo("Does it come in another color?");
    }

    @Test
    void aPhonesImageCarriesAUrlTheBusinessCanDownload() {
        CloudApiFixture.Number number = register(client, receiver.url());
        byte[] photo = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        MultipartBodyBuilder builder = new MultipartBodyBuilder();
        builder.part("file", new ByteArrayResource(photo) {
            @Override
            public String getFilename() {
                return "foto.jpg";
            }
        }).contentType(MediaType.IMAGE_JPEG);
        JsonNode uploaded = answer(client.post().uri("/sim/media")
                .body(BodyInserters.fromMultipartData(builder.build())).exchange()).body();
        InboundMessage message = new InboundMessage(WaMessageIds.next(), uniqueCustomer(), number.phoneNumber(),
                "Ana", "image", null, new InboundMessage.Media(uploaded.path("id").asString(), "image/jpeg",
                        uploaded.path("sha256").asString(), (long) photo.length, null, "mirá"),
                null, null, null, null, Instant.now(), null);

        whatsapp.simulator().bean(InboundRouter.class).deliver(message).block(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.messages().size() == 1);
        JsonNode image = receiver.messages().getFirst().path("image");
        assertThat(image.path("id").asString()).isEqualTo(uploaded.path("id").asString());
        assertThat(image.path("mime_type").asString()).isEqualTo("image/jpeg");
        assertThat(image.path("sha256").asString()).isEqualTo(uploaded.path("sha256").asString());
        assertThat(image.path("caption").asString()).isEqualTo("mirá");
        byte[] downloaded = client.get().uri(URI.create(image.path("url").asString()))
                .headers(headers -> headers.setBearerAuth(number.token()))
                .exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(photo);
    }

    @Test
    void webhooksAreRetriedAfterFailuresAndNothingIsLostOrReordered() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        receiver.failNext(4, 500);

        List<String> sent = List.of("uno", "dos", "tres");
        sent.forEach(text -> customerWrites(whatsapp.simulator(), customer, number.phoneNumber(), text));
        String wamid = sendTemplate(client, number, customer).body().path("messages").get(0).path("id").asString();

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.statusesOf(wamid).size() == 3);
        assertThat(receiver.messages().stream().map(m -> m.path("text").path("body").asString()).toList())
                .containsExactlyElementsOf(sent);
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "delivered", "read");
        assertThat(receiver.posts().stream().filter(post -> !post.accepted()).count()).isEqualTo(4);
        JsonNode webhooks = numberView(number).path("webhooks");
        assertThat(webhooks.path("failedAttempts").longValue()).isEqualTo(4);
        assertThat(webhooks.path("delivered").longValue()).isEqualTo(6);
        assertThat(webhooks.path("abandoned").longValue()).isZero();
        assertThat(webhooks.path("overflow").longValue()).isZero();
        assertThat(webhooks.path("lastError").asString()).contains("500");
    }

    @Test
    void theDuplicateSwitchPostsEachPayloadTwice() {
        CloudApiFixture.Number number = register(client, receiver.url());
        client.put().uri("/sim/cloud/webhooks/behaviour").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("duplicateRate", 1.0)).exchange().expectStatus().isOk().expectBody(Void.class);
        try {
            customerWrites(whatsapp.simulator(), uniqueCustomer(), number.phoneNumber(), "¿Hay stock?");

            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 2);
            List<WebhookReceiver.Post> posts = receiver.accepted();
            assertThat(posts.get(1).body()).isEqualTo(posts.get(0).body());
            assertThat(posts.get(1).header("X-Hub-Signature-256")).isEqualTo(posts.get(0).header(
                    "X-Hub-Signature-256"));
            assertThat(numberView(number).path("webhooks").path("duplicated").longValue()).isEqualTo(1);
        }
        finally {
            client.put().uri("/sim/cloud/webhooks/behaviour").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("duplicateRate", 0.0)).exchange().expectStatus().isOk().expectBody(Void.class);
        }
    }

    @Test
    void theReorderSwitchOfANumberDeliversReadBeforeDelivered() {
        CloudApiFixture.Number number = register(client, receiver.url());
        JsonNode view = answer(client.put().uri("/sim/cloud/numbers/" + number.phoneNumberId()
                + "/webhooks/behaviour").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reorderStatuses", true)).exchange()).body();
        assertThat(view.path("webhookBehaviour").path("reorderStatuses").booleanValue()).isTrue();
        assertThat(view.path("ownWebhookBehaviour").booleanValue()).isTrue();

        String wamid = sendTemplate(client, number, uniqueCustomer()).body().path("messages").get(0).path("id")
                .asString();

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.statusesOf(wamid).size() == 3);
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "read", "delivered");
    }
}
