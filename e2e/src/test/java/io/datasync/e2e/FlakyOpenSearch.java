package io.datasync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A loopback HTTP proxy in front of the real OpenSearch that makes chosen {@code _bulk} requests
 * fail as an overloaded node does: the whole request answered 503 or 429 without reaching
 * OpenSearch, or only every other action forwarded and the rest answered 429 item by item.
 */
final class FlakyOpenSearch implements AutoCloseable {
    enum Fault { NONE, WHOLE_503, WHOLE_429, ODD_ITEMS_429 }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final IntFunction<Fault> faultOfRequest;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger bulkRequests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();

    /** {@code faultOfRequest} gets the number of each bulk request (0, 1, …). */
    FlakyOpenSearch(String target, IntFunction<Fault> faultOfRequest) throws IOException {
        this.target = target.replaceAll("/$", "");
        this.faultOfRequest = faultOfRequest;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int faultsInjected() {
        return faults.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean bulk = exchange.getRequestURI().getPath().endsWith("/_bulk");
            Fault fault = bulk ? faultOfRequest.apply(bulkRequests.getAndIncrement()) : Fault.NONE;
            if (fault != Fault.NONE) {
                faults.incrementAndGet();
            }
            switch (fault) {
                case NONE -> relay(exchange, forward(exchange, body));
                case WHOLE_503 -> reply(exchange, 503, error("unavailable_shards_exception", 503));
                case WHOLE_429 -> reply(exchange, 429, error("es_rejected_execution_exception", 429));
                case ODD_ITEMS_429 -> reply(exchange, 200, evenItemsOnly(exchange, body));
            }
        } catch (Exception e) {
            // A broken proxy must show as a failure the sink retries, never as a silent success.
            reply(exchange, 502, error("proxy_" + e.getClass().getSimpleName(), 502));
        } finally {
            exchange.close();
        }
    }

    private static String error(String type, int status) {
        return "{\"error\":{\"type\":\"" + type + "\",\"reason\":\"injected by FlakyOpenSearch\"},\"status\":" + status + "}";
    }

    /** Forwards the even actions; the odd ones are answered 429 in their place. */
    private String evenItemsOnly(HttpExchange exchange, byte[] body) throws Exception {
        List<byte[]> actions = actions(body);
        ByteArrayOutputStream even = new ByteArrayOutputStream();
        for (int i = 0; i < actions.size(); i += 2) {
            even.writeBytes(actions.get(i));
        }
        HttpResponse<byte[]> response = forward(exchange, even.toByteArray());
        JsonNode forwarded = JSON.readTree(response.body()).path("items");
        ObjectNode merged = JSON.createObjectNode();
        ArrayNode items = merged.putArray("items");
        for (int i = 0; i < actions.size(); i++) {
            if (i % 2 == 0) {
                items.add(forwarded.get(i / 2));
            } else {
                items.addObject().putObject("index").put("status", 429).putObject("error")
                        .put("type", "es_rejected_execution_exception").put("reason", "injected by FlakyOpenSearch");
            }
        }
        return JSON.writeValueAsString(merged);
    }

    /** The NDJSON body cut into actions: an action line, plus its source line unless it is a delete. */
    private static List<byte[]> actions(byte[] body) throws IOException {
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        List<byte[]> actions = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            boolean delete = JSON.readTree(lines[i]).has("delete");
            String action = delete ? lines[i] + "\n" : lines[i] + "\n" + lines[++i] + "\n";
            actions.add(action.getBytes(StandardCharsets.UTF_8));
        }
        return actions;
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws Exception {
        URI uri = URI.create(target + exchange.getRequestURI());
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.headers().firstValue("Content-Type").orElse("application/json"));
        send(exchange, response.statusCode(), response.body());
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
