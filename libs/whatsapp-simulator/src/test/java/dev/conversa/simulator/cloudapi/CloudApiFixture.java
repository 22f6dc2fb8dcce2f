package dev.conversa.simulator.cloudapi;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.core.WaMessageIds;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Registering numbers, sending through the Graph endpoints and reading answers, for the Cloud API tests. */
final class CloudApiFixture {

    static final String VERSION = "v25.0";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A registered number and what a client needs to use it. */
    record Number(String phoneNumberId, String phoneNumber, String token, String appSecret) {
    }

    /** An answer of the simulator: status and parsed body. */
    record Answer(HttpStatus status, JsonNode body, HttpHeaders headers) {

        int errorCode() {
            return body.path("error").path("code").intValue();
        }
    }

    private CloudApiFixture() {
    }

    static WebTestClient client(WhatsAppSimulator simulator) {
        return WebTestClient.bindToServer().baseUrl(simulator.baseUrl().toString())
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    static String uniqueBusinessNumber() {
        return "54911" + String.format("%08d", SEQUENCE.incrementAndGet());
    }

    static String uniqueCustomer() {
        return "54922" + String.format("%08d", SEQUENCE.incrementAndGet());
    }

    static Number register(WebTestClient client, String webhookUrl) {
        return register(client, webhookUrl, Map.of());
    }

    static Number register(WebTestClient client, String webhookUrl, Map<String, Object> extra) {
        int n = SEQUENCE.incrementAndGet();
        String phoneNumberId = Long.toString(106_540_352_000_000L + n);
        String phoneNumber = uniqueBusinessNumber();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phoneNumberId", phoneNumberId);
        body.put("phoneNumber", "+" + phoneNumber);
        body.put("displayName", "Tienda " + n);
        body.put("accessToken", "token-" + n);
        body.put("appSecret", "secret-" + n);
        body.put("webhookUrl", webhookUrl);
        body.put("verifyToken", "verify-token");
        body.putAll(extra);
        client.post().uri("/sim/cloud/numbers").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Void.class);
        return new Number(phoneNumberId, phoneNumber, "token-" + n, "secret-" + n);
    }

    static Answer post(WebTestClient client, String path, String token, String json) {
        return answer(client.post().uri(path)
                .headers(headers -> {
                    if (token != null) {
                        headers.setBearerAuth(token);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.replace('\'', '"'))
                .exchange());
    }

    static Answer send(WebTestClient client, Number number, String json) {
        return post(client, "/" + VERSION + "/" + number.phoneNumberId() + "/messages", number.token(), json);
    }

    static Answer sendText(WebTestClient client, Number number, String to, String text) {
        return send(client, number, "{'messaging_product':'whatsapp','recipient_type':'individual','to':'+" + to
                + "','type':'text','text':{'body':'" + text + "'}}");
    }

    static Answer sendTemplate(WebTestClient client, Number number, String to) {
        return send(client, number, "{'messaging_product':'whatsapp','to':'" + to + "','type':'template',"
                + "'template':{'name':'order_update','language':{'code':'en_US'}}}");
    }

    static Answer answer(WebTestClient.ResponseSpec response) {
        var result = response.expectBody(byte[].class).returnResult();
        byte[] bytes = result.getResponseBody();
        JsonNode body = bytes == null || bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        return new Answer(HttpStatus.valueOf(result.getStatus().value()), body, result.getResponseHeaders());
    }

    /** The customer writes to the business, through the simulator's router like any phone. */
    static InboundMessage customerWrites(WhatsAppSimulator simulator, String customer, String business,
            String text) {
        InboundMessage message = new InboundMessage(WaMessageIds.next(), customer, business, "Ana", "text", text,
                null, null, null, null, null, Instant.now(), null);
        simulator.bean(InboundRouter.class).deliver(message).block(Duration.ofSeconds(5));
        return message;
    }
}
