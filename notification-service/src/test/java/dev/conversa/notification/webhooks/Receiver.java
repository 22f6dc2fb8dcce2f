package dev.conversa.notification.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a random loopback port (the JDK's HTTP server): answers each path from a script of
 * responses (200 once the script is used up) and records every request.
 */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, byte[] body, Instant at) {

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    record Response(int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final Map<String, ConcurrentLinkedDeque<Response>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Response> always = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            ConcurrentLinkedDeque<Response> script = scripts.get(path);
            Response response = script == null ? null : script.poll();
            if (response == null) {
                response = always.getOrDefault(path, new Response(200, Map.of()));
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status(), -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void script(String path, Response... responses) {
        scripts.computeIfAbsent(path, key -> new ConcurrentLinkedDeque<>()).addAll(List.of(responses));
    }

    void alwaysAnswer(String path, int status) {
        always.put(path, new Response(status, Map.of()));
    }

    List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
