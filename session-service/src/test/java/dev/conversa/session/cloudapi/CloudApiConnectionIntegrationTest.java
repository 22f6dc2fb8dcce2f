package dev.conversa.session.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import com.sun.net.httpserver.HttpServer;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.truth.GroundTruth;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Cloud API adapter against the embedded WhatsApp simulator: each test registers its own business number
 * ({@code /sim/cloud/numbers}) and customers, sends through {@link CloudApiConnection} and checks the answer and the
 * simulator's ground truth.
 */
class CloudApiConnectionIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.receipts.delivered-after", "50ms")
            .withProperty("simulator.receipts.read-after", "0s")
            .withProperty("simulator.ban.enabled", "false");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static CloudApiConnector connector;

    @BeforeAll
    static void connector() {
        connector = new CloudApiConnector(CloudApiProperties.defaults().withBaseUrl(whatsapp.simulator().baseUrl()));
    }

    @AfterAll
    static void closeConnector() {
        connector.destroy();
    }

    @Test
    void textSendIsAcceptedWithAWamidAndWhatsAppHasItOnceUnderItsClientRef() {
        Business business = register(null, null);
        String customer = customerWhoWrote(business);
        CloudApiConnection connection = business.connect();

        SendResult result = connection.send(OutboundSend.text("cmd-text-1", customer, "Hola, ¿cómo estás?")).block();

        assertThat(result).isInstanceOfSatisfying(SendResult.Accepted.class, accepted -> {
            assertThat(accepted.waMessageId()).startsWith("wamid.");
            assertThat(accepted.acceptedAt()).isNotNull();
        });
        GroundTruth.ClientRefSends sends = truth().sends(business.digits(), "cmd-text-1");
        assertThat(sends.count()).isEqualTo(1);
        assertThat(sends.waMessageIds()).containsExactly(((SendResult.Accepted) result).waMessageId());
    }

    @Test
    void templateIsAcceptedEvenToACustomerWhoNeverWrote() {
        Business business = register(null, null);

        SendResult result = business.connect().send(new OutboundSend("cmd-template", newCustomer(),
                MessageType.TEMPLATE, null, null, new TemplateRef("order_update", "es_MX", List.of("Ana", "#42")),
                null, null)).block();

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        assertThat(truth().sends(business.digits(), "cmd-template").count()).isEqualTo(1);
    }

    @Test
    void reactionToTheCustomersMessageIsAccepted() {
        Business business = register(null, null);
        String customer = newCustomer();
        String inboundWamid = write(customer, business);

        SendResult result = business.connect().send(new OutboundSend("cmd-reaction", customer, MessageType.REACTION,
                "👍", null, null, null, inboundWamid)).block();

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        assertThat(truth().sends(business.digits(), "cmd-reaction").count()).isEqualTo(1);
    }

    @Test
    void replyQuotingTheCustomersMessageIsAccepted() {
        Business business = register(null, null);
        String customer = newCustomer();
        String inboundWamid = write(customer, business);

        SendResult result = business.connect().send(new OutboundSend("cmd-reply", customer, MessageType.TEXT,
                "Sí, en azul también", null, null, null, inboundWamid)).block();

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void locationIsAccepted() {
        Business business = register(null, null);
        String customer = customerWhoWrote(business);

        SendResult result = business.connect().send(new OutboundSend("cmd-location", customer, MessageType.LOCATION,
                null, null, null, new Location(-34.6037, -58.3816, "Obelisco", "Av. 9 de Julio"), null)).block();

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void mediaByPublicLinkIsAcceptedAndMediaWithoutOneIsRejectedWithoutReachingWhatsApp() {
        Business business = register(null, null);
        String customer = customerWhoWrote(business);
        CloudApiConnection connection = business.connect();

        SendResult linked = connection.send(new OutboundSend("cmd-image", customer, MessageType.IMAGE, null,
                new MediaRef(UUID.randomUUID(), "image/png", null, "foto", "https://files.example.com/a.png"), null,
                null, null)).block();
        SendResult ours = connection.send(new OutboundSend("cmd-image-ours", customer, MessageType.IMAGE, null,
                new MediaRef(UUID.randomUUID(), "image/png", null, "foto", null), null, null, null)).block();

        assertThat(linked).isInstanceOf(SendResult.Accepted.class);
        assertThat(ours).isEqualTo(new SendResult.Rejected(400, "media neither uploaded nor at a public url",
                false));
        assertThat(truth().sends(business.digits(), "cmd-image-ours").count()).isZero();
    }

    @Test
    void uploadedFileIsSentByMetasIdAndTheRecipientGetsItsBytes() {
        Business business = register(null, null);
        String customer = customerWhoWrote(business);
        CloudApiConnection connection = business.connect();
        byte[] jpeg = new byte[64 * 1024];
        ThreadLocalRandom.current().nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;

        String uploaded = connection.uploadMedia(new MediaFile(chunks(jpeg, 8 * 1024), "image/jpeg", "foto.jpg"))
                .block(Duration.ofSeconds(10));
        SendResult sent = connection.send(new OutboundSend("cmd-uploaded", customer, MessageType.IMAGE, null,
                new MediaRef(UUID.randomUUID(), "image/jpeg", null, "la foto", null), null, null, null)
                .withTransportMediaId(uploaded)).block(Duration.ofSeconds(10));

        assertThat(sent).isInstanceOf(SendResult.Accepted.class);
        GroundTruth.ClientRefSends sends = truth().sends(business.digits(), "cmd-uploaded");
        assertThat(sends.mediaId()).isEqualTo(uploaded);
        assertThat(whatsapp.simulator().bean(MediaStore.class).find(uploaded)).get()
                .satisfies(file -> assertThat(file.bytes()).isEqualTo(jpeg));
    }

    @Test
    void uploadWhatsAppRefusesFailsWithMetasCodeAndIsNotRetryable() {
        Business business = register(null, null);
        CloudApiConnection connection = business.connect();

        StepVerifier.create(connection.uploadMedia(new MediaFile(chunks(new byte[] {'M', 'Z', 0, 0}, 4),
                        "application/x-msdownload", "setup.exe")))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(MediaUploadException.class);
                    SendResult.Rejected rejected = ((MediaUploadException) error).rejected();
                    assertThat(rejected.retryable()).isFalse();
                    assertThat(rejected.code()).isEqualTo(131053);
                })
                .verify(Duration.ofSeconds(10));
    }

    private static Flux<DataBuffer> chunks(byte[] bytes, int size) {
        return Flux.range(0, (bytes.length + size - 1) / size)
                .map(index -> DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes,
                        index * size, Math.min(bytes.length, (index + 1) * size))));
    }

    @Test
    void freeFormSendToACustomerWhoNeverWroteIsRejected131047NotRetryable() {
        Business business = register(null, null);

        SendResult result = business.connect().send(OutboundSend.text("cmd-window", newCustomer(), "¿Sigue ahí?"))
                .block();

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.code()).isEqualTo(131047);
            assertThat(rejected.retryable()).isFalse();
        });
        assertThat(truth().sends(business.digits(), "cmd-window").count()).isZero();
    }

    @Test
    void wrongTokenIsRejected190NotRetryableAndMeansBadCredentials() {
        Business business = register(null, null);
        CloudApiConnection connection = connector.connect(UUID.randomUUID(), business.phoneNumberId(),
                "EAAG-not-the-token");

        SendResult result = connection.send(template("cmd-bad-token", newCustomer())).block();

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.code()).isEqualTo(190);
            assertThat(rejected.retryable()).isFalse();
            assertThat(rejected.title()).doesNotContain("EAAG");
        });
        assertThat(GraphErrors.meansBadCredentials(result)).isTrue();
        assertThat(truth().sends(business.digits(), "cmd-bad-token").count()).isZero();
    }

    @Test
    void recipientNotOnWhatsAppIsAcceptedThenFailsWith131026InAWebhookNamingTheSend() throws Exception {
        try (Webhooks webhooks = Webhooks.start()) {
            Business business = register(webhooks.url(), null);
            String customer = newCustomer();
            control("POST", "/sim/phones", Map.of("number", customer, "name", "Nadie", "onWhatsApp", false));

            SendResult result = business.connect().send(template("cmd-not-on-wa", customer)).block();

            // Meta (and the simulator) take the request; the failure comes later, as a 'failed' status
            assertThat(result).isInstanceOf(SendResult.Accepted.class);
            String wamid = ((SendResult.Accepted) result).waMessageId();
            JsonNode failed = webhooks.awaitStatus(wamid, "failed", Duration.ofSeconds(10));
            assertThat(failed.path("biz_opaque_callback_data").asString()).isEqualTo("cmd-not-on-wa");
            assertThat(failed.path("errors").path(0).path("code").asInt()).isEqualTo(131026);
        }
    }

    @Test
    void throughputLimitOfTheNumberIsRejected130429Retryable() {
        Business business = register(null, 1.0);
        CloudApiConnection connection = business.connect();

        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(connection.send(template("cmd-throughput-" + i, newCustomer())).block());
        }

        assertThat(results.getFirst()).isInstanceOf(SendResult.Accepted.class);
        assertThat(results).filteredOn(SendResult.Rejected.class::isInstance).isNotEmpty()
                .allSatisfy(result -> assertThat(result)
                        .isEqualTo(new SendResult.Rejected(130429, "throughput limit of the phone number reached",
                                true)));
    }

    @Test
    void unreachableGraphApiErrorsWithAnUnknownOutcomeNotAnAcceptance() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CloudApiConnector unreachable = new CloudApiConnector(new CloudApiProperties(
                URI.create("http://127.0.0.1:" + closedPort), "v25.0", Duration.ofSeconds(1), Duration.ofSeconds(2),
                4));
        try {
            CloudApiConnection connection = unreachable.connect(UUID.randomUUID(), "106540352242922", "EAAG-token");

            StepVerifier.create(connection.send(OutboundSend.text("cmd-unreachable", "+16505551234", "hola")))
                    .expectError(TimeoutException.class)
                    .verify(Duration.ofSeconds(10));
            StepVerifier.create(connection.ping())
                    .expectError(UnknownOutcomeException.class)
                    .verify(Duration.ofSeconds(10));
        }
        finally {
            unreachable.destroy();
        }
    }

    @Test
    void answerSlowerThanTheResponseTimeoutIsAnUnknownOutcomeThoughWhatsAppTookTheMessage() {
        Business business = register(null, null);
        control("PUT", "/sim/faults", Map.of("number", business.digits(), "latencyMillis", 1500));
        CloudApiConnector impatient = new CloudApiConnector(new CloudApiProperties(whatsapp.simulator().baseUrl(),
                "v25.0", Duration.ofSeconds(1), Duration.ofMillis(300), 4));
        try {
            CloudApiConnection connection = impatient.connect(UUID.randomUUID(), business.phoneNumberId(),
                    business.token());

            StepVerifier.create(connection.send(template("cmd-slow", newCustomer())))
                    .expectError(TimeoutException.class)
                    .verify(Duration.ofSeconds(10));
            // the reason the adapter never retries a POST by itself: WhatsApp has it
            assertThat(truth().sends(business.digits(), "cmd-slow").count()).isEqualTo(1);
        }
        finally {
            impatient.destroy();
            control("DELETE", "/sim/faults/" + business.digits(), null);
        }
    }

    @Test
    void pingMeasuresARoundTripAndFailsWith190OnABadToken() {
        Business business = register(null, null);

        StepVerifier.create(business.connect().ping())
                .assertNext(roundTrip -> assertThat(roundTrip).isPositive().isLessThan(Duration.ofSeconds(5)))
                .verifyComplete();
        StepVerifier.create(connector.connect(UUID.randomUUID(), business.phoneNumberId(), "EAAG-wrong").ping())
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(GraphApiException.class,
                        graph -> {
                            assertThat(graph.code()).isEqualTo(190);
                            assertThat(graph.httpStatus()).isEqualTo(401);
                            assertThat(graph.badCredentials()).isTrue();
                            assertThat(graph.getMessage()).doesNotContain("EAAG");
                        }))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void markAsReadOfReceivedMessagesIsAcceptedAndOfAnUnknownIdFails131009AfterTryingTheOthers() {
        Business business = register(null, null);
        String customer = newCustomer();
        String first = write(customer, business);
        String second = write(customer, business);
        CloudApiConnection connection = business.connect();

        StepVerifier.create(connection.markRead(List.of(first, second))).verifyComplete();
        StepVerifier.create(connection.markRead(List.of("wamid.never-received", first)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(GraphApiException.class,
                        graph -> {
                            assertThat(graph.code()).isEqualTo(131009);
                            assertThat(graph.retryable()).isFalse();
                        }))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.markRead(List.of(" "))).expectError(IllegalArgumentException.class)
                .verify(Duration.ofSeconds(5));
        // a mark-as-read is no message: WhatsApp sent nothing to the customer
        assertThat(truth().totalsOf(business.digits()).outboundAccepted()).isZero();
    }

    @Test
    void closedConnectionSendsNothingAndCanBeClosedTwice() {
        Business business = register(null, null);
        CloudApiConnection connection = business.connect();
        assertThat(connection.isOpen()).isTrue();

        StepVerifier.create(connection.close()).verifyComplete();
        StepVerifier.create(connection.close()).verifyComplete();

        assertThat(connection.isOpen()).isFalse();
        StepVerifier.create(connection.send(template("cmd-closed", newCustomer())))
                .expectError(ConnectionNotOpenException.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.ping()).expectError(ConnectionNotOpenException.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(connection.markRead(List.of("wamid.X"))).expectError(ConnectionNotOpenException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(truth().sends(business.digits(), "cmd-closed").count()).isZero();
    }

    // --- the simulator -------------------------------------------------------------------------------------------

    record Business(String phoneNumberId, String digits, String token) {

        CloudApiConnection connect() {
            return connector.connect(UUID.randomUUID(), phoneNumberId, token);
        }
    }

    private static Business register(@Nullable String webhookUrl, @Nullable Double messagesPerSecond) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String phoneNumberId = Long.toString(random.nextLong(100_000_000_000_000L, 999_999_999_999_999L));
        String digits = "1555" + random.nextInt(1_000_000, 9_999_999);
        String token = "EAAG" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("phoneNumberId", phoneNumberId);
        registration.put("phoneNumber", "+" + digits);
        registration.put("accessToken", token);
        registration.put("appSecret", "app-secret-" + phoneNumberId);
        registration.put("verifyToken", "verify");
        if (webhookUrl != null) {
            registration.put("webhookUrl", webhookUrl);
        }
        if (messagesPerSecond != null) {
            registration.put("messagesPerSecond", messagesPerSecond);
        }
        control("POST", "/sim/cloud/numbers", registration);
        return new Business(phoneNumberId, digits, token);
    }

    private static String newCustomer() {
        return "+549" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
    }

    /** A customer who wrote to the business, so its 24-hour window is open. */
    private static String customerWhoWrote(Business business) {
        String customer = newCustomer();
        write(customer, business);
        return customer;
    }

    /** The customer writes to the business; answers the WhatsApp id of the message. */
    private static String write(String customer, Business business) {
        JsonNode answer = control("POST", "/sim/phones/" + customer.substring(1) + "/messages",
                Map.of("to", business.digits(), "type", "text", "text", "Hola, ¿tienen stock?"));
        return answer.path("waMessageId").asString();
    }

    private static GroundTruth truth() {
        return whatsapp.simulator().bean(GroundTruth.class);
    }

    private static OutboundSend template(String clientRef, String to) {
        return new OutboundSend(clientRef, to, MessageType.TEMPLATE, null, null,
                new TemplateRef("hello_world", "en_US", List.of()), null, null);
    }

    private static JsonNode control(String method, String path, @Nullable Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpRequest request = HttpRequest.newBuilder(whatsapp.simulator().baseUrl().resolve(path))
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A webhook receiver on a loopback port that answers 200 and keeps every body. */
    static final class Webhooks implements AutoCloseable {

        private final HttpServer server;
        private final LinkedBlockingQueue<JsonNode> bodies = new LinkedBlockingQueue<>();

        private Webhooks(HttpServer server) {
            this.server = server;
        }

        static Webhooks start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Webhooks webhooks = new Webhooks(server);
            server.createContext("/webhook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                webhooks.bodies.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return webhooks;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
        }

        JsonNode awaitStatus(String wamid, String status, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode body = bodies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (body == null) {
                    break;
                }
                for (JsonNode entry : body.path("entry")) {
                    for (JsonNode change : entry.path("changes")) {
                        for (JsonNode candidate : change.path("value").path("statuses")) {
                            if (wamid.equals(candidate.path("id").asString())
                                    && status.equals(candidate.path("status").asString())) {
                                return candidate;
                            }
                        }
                    }
                }
            }
            throw new AssertionError("no '" + status + "' status of " + wamid + " within " + timeout);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
