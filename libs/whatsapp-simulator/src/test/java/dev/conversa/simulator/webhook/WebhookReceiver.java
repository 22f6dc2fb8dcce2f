package dev.conversa.simulator.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver for tests, on {@code 127.0.0.1:<random port>/webhook}: records every POST (raw body and
 * headers), answers the next N of them with an error status or after a delay when told, and answers Meta's
 * verification GET like a real receiver (the challenge for the right verify token, 403 otherwise).
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One POST as received. */
    public record Post(byte[] body, Map<String, String> headers, int answeredWith) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean accepted() {
            return answeredWith >= 200 && answeredWith < 300;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final List<String> verificationQueries = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger delaysLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile Duration delay = Duration.ZERO;
    private volatile String verifyToken = "verify-token";

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot start the test webhook receiver", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    /** The next {@code times} POSTs are answered with {@code status}. */
    public WebhookReceiver failNext(int times, int status) {
        failureStatus = status;
        failuresLeft.set(times);
        return this;
    }

    /** The next {@code times} POSTs are answered only after {@code delay}. */
    public WebhookReceiver delayNext(int times, Duration delay) {
        this.delay = delay;
        delaysLeft.set(times);
        return this;
    }

    public WebhookReceiver expectVerifyToken(String token) {
        this.verifyToken = token;
        return this;
    }

    /** Every POST, failed ones included, in arrival order. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** POSTs answered 2xx, in arrival order. */
    public List<Post> accepted() {
        return posts.stream().filter(Post::accepted).toList();
    }

    public List<String> verificationQueries() {
        return List.copyOf(verificationQueries);
    }

    /** {@code value.statuses[]} of accepted POSTs, in order. */
    public List<JsonNode> statuses() {
        return values("messages", "statuses");
    }

    /** The status names posted for one message, in the order they arrived. */
    public List<String> statusesOf(String wamid) {
        return statuses().stream()
                .filter(status -> wamid.equals(status.path("id").asString()))
                .map(status -> status.path("status").asString())
                .toList();
    }

    /** {@code value.messages[]} of accepted POSTs, in order. */
    public List<JsonNode> messages() {
        return values("messages", "messages");
    }

    /** {@code changes[].value} of a field, in order. */
    public List<JsonNode> changeValues(String field) {
        List<JsonNode> values = new ArrayList<>();
        for (Post post : accepted()) {
            for (JsonNode entry : post.json().path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    if (field.equals(change.path("field").asString())) {
                        values.add(change.path("value"));
                    }
                }
            }
        }
        return values;
    }

    /** {@code "<wamid>:<status>"} of every accepted status, in order. */
    public List<String> statusSequence() {
        return statuses().stream().map(s -> s.path("id").asString() + ":" + s.path("status").asString()).toList();
    }

    public void clear() {
        posts.clear();
        verificationQueries.clear();
        failuresLeft.set(0);
        delaysLeft.set(0);
    }

    /** The test's own check of Meta's signature: {@code sha256=} + lowercase hex HMAC-SHA256 over the raw body. */
    public static boolean signedWith(Post post, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body()));
            String actual = post.header("X-Hub-Signature-256");
            return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    actual.getBytes(StandardCharsets.US_ASCII));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> values(String field, String array) {
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode value : changeValues(field)) {
            value.path(array).forEach(values::add);
        }
        return values;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                verify(exchange);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            if (delaysLeft.getAndDecrement() > 0) {
                sleep(delay);
            }
            int status = failuresLeft.getAndDecrement() > 0 ? failureStatus : 200;
            posts.add(new Post(body, Map.copyOf(headers), status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private void verify(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        verificationQueries.add(query);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        boolean ok = "subscribe".equals(params.get("hub.mode")) && verifyToken.equals(params.get("hub.verify_token"));
        byte[] answer = (ok ? params.get("hub.challenge") : "forbidden").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ok ? 200 : 403, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
