package dev.conversa.simulator.cloudapi;

import static dev.conversa.simulator.cloudapi.CloudApiFixture.customerWrites;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.register;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.send;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendTemplate;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendText;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.truth.GroundTruth;
import dev.conversa.simulator.webhook.WebhookReceiver;
import tools.jackson.databind.JsonNode;

class CloudApiMessagesIntegrationTest {

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


    private JsonNode lastStatusOf(String wamid) {
        return receiver.statuses().stream().filter(status -> wamid.equals(status.path("id").asString()))
                .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void aTextSendAnswersAWamidAndItsStatusesArriveSignedAsSentDeliveredRead() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        customerWrites(whatsapp.simulator(), customer, number.phoneNumber(), "Hola");

        CloudApiFixture.Answer answer = sendText(client, number, customer, "¡Hola! ¿En qué te ayudo?");

        assertThat(answer.status()).isEqualTo(HttpStatus.OK);
        assertThat(answer.body().path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(answer.body().path("contacts").get(0).path("input").asString()).isEqualTo("+" + customer);
        assertThat(answer.body().path("contacts").get(0).path("wa_id").asString()).isEqualTo(customer);
        String wamid = answer.body().path("messages").get(0).path("id").asString();
        assertThat(wamid).startsWith("wamid.");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.statusesOf(wamid).size() == 3);
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "delivered", "read");
        assertThat(receiver.accepted()).allSatisfy(post -> {
            assertThat(WebhookReceiver.signedWith(post, number.appSecret())).isTrue();
            assertThat(post.header("Content-Type")).isEqualTo("application/json");
        });
        JsonNode value = receiver.changeValues("messages").getLast();
        assertThat(value.path("metadata").path("phone_number_id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(value.path("metadata").path("display_phone_number").asString()).isEqualTo(number.phoneNumber());
        assertThat(lastStatusOf(wamid).path("recipient_id").asString()).isEqualTo(customer);
    }

    @Test
    void bizOpaqueCallbackDataIsEchoedInEveryStatusAndCountedAsTheClientRef() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();

        CloudApiFixture.Answer answer = send(client, number, "{'messaging_product':'whatsapp','to':'" + customer
                + "','type':'template','template':{'name':'hello_world','language':{'code':'en_US'}},"
                + "'biz_opaque_callback_data':'order-42'}");

        String wamid = answer.body().path("messages").get(0).path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.statusesOf(wamid).size() == 3);
        assertThat(receiver.statuses()).allSatisfy(status -> assertThat(
                status.path("biz_opaque_callback_data").asString()).isEqualTo("order-42"));
        GroundTruth.ClientRefSends sends = whatsapp.simulator().bean(GroundTruth.class)
                .sends(number.phoneNumber(), "order-42");
        assertThat(sends.count()).isEqualTo(1);
        assertThat(sends.waMessageIds()).containsExactly(wamid);
    }

    @Test
    void aWrongOrMissingTokenAnswers401WithCode190() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String path = "/v25.0/" + number.phoneNumberId() + "/messages";
        String body = "{'messaging_product':'whatsapp','to':'" + uniqueCustomer() + "','type':'template',"
                + "'template':{'name':'x','language':{'code':'en'}}}";

        CloudApiFixture.Answer wrong = CloudApiFixture.post(client, path, "not-the-token", body);
        CloudApiFixture.Answer missing = CloudApiFixture.post(client, path, null, body);

        for (CloudApiFixture.Answer answer : List.of(wrong, missing)) {
            assertThat(answer.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
            JsonNode error = answer.body().path("error");
            assertThat(error.path("code").intValue()).isEqualTo(190);
            assertThat(error.path("type").asString()).isEqualTo("OAuthException");
            assertThat(error.path("message").asString()).isNotBlank();
            assertThat(error.path("fbtrace_id").asString()).isNotBlank();
            assertThat(answer.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("invalid_token");
        }
        assertThat(receiver.posts()).isEmpty();
    }

    @Test
    void anUnknownPhoneNumberIdAnswersCode100() {
        CloudApiFixture.Number number = register(client, receiver.url());

        CloudApiFixture.Answer answer = CloudApiFixture.post(client, "/v25.0/999999999/messages", number.token(),
                "{'messaging_product':'whatsapp','to':'" + uniqueCustomer() + "','type':'text','text':{'body':'x'}}");

        assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.errorCode()).isEqualTo(100);
        assertThat(answer.body().path("error").path("message").asString()).contains("999999999");
    }

    @Test
    void invalidRequestsAnswerMetasValidationCodes() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String path = "/v25.0/" + number.phoneNumberId() + "/messages";

        CloudApiFixture.Answer notJson = CloudApiFixture.post(client, path, number.token(), "{not json");
        CloudApiFixture.Answer noBody = send(client, number, "{'messaging_product':'whatsapp','to':'"
                + uniqueCustomer() + "','type':'text','text':{}}");
        CloudApiFixture.Answer poll = send(client, number, "{'messaging_product':'whatsapp','to':'"
                + uniqueCustomer() + "','type':'poll','poll':{}}");

        assertThat(notJson.errorCode()).isEqualTo(100);
        assertThat(noBody.errorCode()).isEqualTo(100);
        assertThat(noBody.body().path("error").path("error_data").path("details").asString())
                .contains("text['body']");
        assertThat(noBody.body().path("error").path("error_data").path("messaging_product").asString())
                .isEqualTo("whatsapp");
        assertThat(poll.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(poll.errorCode()).isEqualTo(131051);
    }

    @Test
    void freeFormOutsideTheServiceWindowAnswers131047WhileATemplateIsAccepted() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();

        CloudApiFixture.Answer text = sendText(client, number, customer, "Hola");
        CloudApiFixture.Answer template = sendTemplate(client, number, customer);

        assertThat(text.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(text.errorCode()).isEqualTo(131047);
        assertThat(text.body().path("error").path("error_data").path("details").asString()).contains("24 hours");
        assertThat(template.status()).isEqualTo(HttpStatus.OK);
        assertThat(template.body().path("messages").get(0).path("id").asString()).startsWith("wamid.");
    }

    @Test
    void aCustomerMessageOpensTheServiceWindowForFreeForm() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        assertThat(sendText(client, number, customer, "antes").errorCode()).isEqualTo(131047);

        customerWrites(whatsapp.simulator(), customer, number.phoneNumber(), "Hola");

        assertThat(sendText(client, number, customer, "después").status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aRecipientNotOnWhatsAppIsAcceptedThenFailsWith131026() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        whatsapp.simulator().bean(PhoneBook.class).create(customer, "Sin WhatsApp", false);

        CloudApiFixture.Answer answer = sendTemplate(client, number, customer);

        assertThat(answer.status()).isEqualTo(HttpStatus.OK);
        String wamid = answer.body().path("messages").get(0).path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.statusesOf(wamid).contains("failed"));
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "failed");
        JsonNode error = lastStatusOf(wamid).path("errors").get(0);
        assertThat(error.path("code").intValue()).isEqualTo(131026);
        assertThat(error.path("title").asString()).isNotBlank();
        assertThat(error.path("error_data").path("details").asString()).isNotBlank();
    }

    @Test
    void markingAReceivedMessageAsReadSucceedsAndAnUnknownIdAnswers131009() {
        CloudApiFixture.Number number = register(client, receiver.url());
        InboundMessage received = customerWrites(whatsapp.simulator(), uniqueCustomer(), number.phoneNumber(),
                "Hola");

        CloudApiFixture.Answer read = send(client, number, "{'messaging_product':'whatsapp','status':'read',"
                + "'message_id':'" + received.waMessageId() + "','typing_indicator':{'type':'text'}}");
        CloudApiFixture.Answer unknown = send(client, number, "{'messaging_product':'whatsapp','status':'read',"
                + "'message_id':'wamid.NEVER'}");

        assertThat(read.status()).isEqualTo(HttpStatus.OK);
        assertThat(read.body().path("success").booleanValue()).isTrue();
        assertThat(unknown.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknown.errorCode()).isEqualTo(131009);
    }

    @Test
    void aBannedNumberAnswers403WithCode368AndItsWebhookGetsAnAccountUpdate() {
        CloudApiFixture.Number number = register(client, receiver.url());
        whatsapp.simulator().bean(BanModel.class).ban(number.phoneNumber(), "reported by users");

        CloudApiFixture.Answer answer = sendTemplate(client, number, uniqueCustomer());

        assertThat(answer.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(answer.errorCode()).isEqualTo(368);
        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.changeValues("account_update").isEmpty());
        JsonNode update = receiver.changeValues("account_update").getFirst();
        assertThat(update.path("event").asString()).isEqualTo("DISABLED_UPDATE");
        assertThat(update.path("ban_info").path("waba_ban_state").asString()).isEqualTo("DISABLE");
        assertThat(WebhookReceiver.signedWith(receiver.accepted().getFirst(), number.appSecret())).isTrue();
        whatsapp.simulator().bean(BanModel.class).unban(number.phoneNumber());
    }

    @Test
    void aLatencyFaultDelaysTheAnswer() {
        CloudApiFixture.Number number = register(client, receiver.url());
        FaultInjector faults = whatsapp.simulator().bean(FaultInjector.class);
        faults.set(number.phoneNumber(), new FaultInjector.Faults(Duration.ofMillis(600), 0));
        try {
            long started = System.nanoTime();
            CloudApiFixture.Answer answer = sendTemplate(client, number, uniqueCustomer());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.status()).isEqualTo(HttpStatus.OK);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
        finally {
            faults.set(number.phoneNumber(), FaultInjector.Faults.NONE);
        }
    }
}
