package dev.conversa.simulator.cloudapi;

import static dev.conversa.simulator.cloudapi.CloudApiFixture.customerWrites;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.register;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendTemplate;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.sendText;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.webhook.WebhookReceiver;

/** Meta's limits, made small: pair rate of 2 per hour, a 1.5 s service window, per-number throughput. */
class CloudApiLimitsIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.cloud-api.pair-rate-burst", "2")
            .withProperty("simulator.cloud-api.pair-rate-interval", "1h")
            .withProperty("simulator.cloud-api.service-window", "1500ms");

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final WebTestClient client = CloudApiFixture.client(whatsapp.simulator());

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void sendingFasterThanTheNumbersThroughputAnswers130429() {
        // one message per 5 s: the first goes, the next ones within the second find the bucket empty
        CloudApiFixture.Number number = register(client, receiver.url(), Map.of("messagesPerSecond", 0.2));

        List<CloudApiFixture.Answer> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(sendTemplate(client, number, uniqueCustomer()));
        }

        assertThat(answers.getFirst().status()).isEqualTo(HttpStatus.OK);
        assertThat(answers.subList(1, 4)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(answer.errorCode()).isEqualTo(130429);
            assertThat(answer.body().path("error").path("error_data").path("details").asString())
                    .contains("throughput");
        });
    }

    @Test
    void throughputIsPerNumber() {
        CloudApiFixture.Number busy = register(client, receiver.url(), Map.of("messagesPerSecond", 0.2));
        CloudApiFixture.Number other = register(client, receiver.url(), Map.of("messagesPerSecond", 0.2));
        sendTemplate(client, busy, uniqueCustomer());

        assertThat(sendTemplate(client, busy, uniqueCustomer()).errorCode()).isEqualTo(130429);
        assertThat(sendTemplate(client, other, uniqueCustomer()).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void tooManyMessagesToOneRecipientAnswer131056AndOtherRecipientsAreUnaffected() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();

        assertThat(sendTemplate(client, number, customer).status()).isEqualTo(HttpStatus.OK);
        assertThat(sendTemplate(client, number, customer).status()).isEqualTo(HttpStatus.OK);
        CloudApiFixture.Answer third = sendTemplate(client, number, customer);

        assertThat(third.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(third.errorCode()).isEqualTo(131056);
        assertThat(third.body().path("error").path("error_data").path("details").asString())
                .contains("same phone number");
        assertThat(sendTemplate(client, number, uniqueCustomer()).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aSendRefusedByTheServiceWindowDoesNotUseThePairQuota() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();

        assertThat(sendText(client, number, customer, "uno").errorCode()).isEqualTo(131047);
        assertThat(sendText(client, number, customer, "dos").errorCode()).isEqualTo(131047);

        assertThat(sendTemplate(client, number, customer).status()).isEqualTo(HttpStatus.OK);
        assertThat(sendTemplate(client, number, customer).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void thePairRateIsCheckedBeforeTheServiceWindow() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        sendTemplate(client, number, customer);
        sendTemplate(client, number, customer);

        assertThat(sendText(client, number, customer, "fuera de ventana").errorCode()).isEqualTo(131056);
    }

    @Test
    void theServiceWindowClosesAfterItsDuration() throws InterruptedException {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        customerWrites(whatsapp.simulator(), customer, number.phoneNumber(), "Hola");
        assertThat(sendText(client, number, customer, "dentro").status()).isEqualTo(HttpStatus.OK);

        Thread.sleep(1600);

        assertThat(sendText(client, number, customer, "fuera").errorCode()).isEqualTo(131047);
    }
}
