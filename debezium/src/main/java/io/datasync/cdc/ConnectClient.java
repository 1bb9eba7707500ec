package io.datasync.cdc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few calls of Kafka Connect's REST API the pipeline needs. */
public final class ConnectClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** Connect refused a request; the message is Connect's own (validation errors included). */
    public static final class ConnectException extends RuntimeException {
        public ConnectException(String message) {
            super(message);
        }
    }

    /**
     * Creates or updates a connector: {@code PUT /connectors/<name>/config}, idempotent. Connect
     * validates the configuration first and answers 400 with every invalid setting.
     */
    public boolean putConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
        requireSuccess(response, "registering connector " + name);
        return response.statusCode() == 201;
    }

    public Optional<ConnectorStatus> status(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("connectors/" + name + "/status")).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireSuccess(response, "reading the status of connector " + name);
        JsonNode body = JSON.readTree(response.body());
        List<ConnectorStatus.Task> tasks = new ArrayList<>();
        for (JsonNode task : body.path("tasks")) {
            tasks.add(new ConnectorStatus.Task(task.path("id").asInt(), task.path("state").asText(),
                    task.hasNonNull("trace") ? task.get("trace").asText() : null));
        }
        JsonNode connector = body.path("connector");
        return Optional.of(new ConnectorStatus(name, connector.path("state").asText(), connector.path("worker_id").asText(), tasks));
    }

    public void delete(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("connectors/" + name)).DELETE());
        if (response.statusCode() != 404) {
            requireSuccess(response, "deleting connector " + name);
        }
    }

    /** Stops the connector and its tasks ({@code PUT /connectors/<name>/stop}); its configuration stays. */
    public void stop(String name) throws IOException, InterruptedException {
        requireSuccess(send(HttpRequest.newBuilder(base.resolve("connectors/" + name + "/stop")).PUT(HttpRequest.BodyPublishers.noBody())),
                "stopping connector " + name);
    }

    public void resume(String name) throws IOException, InterruptedException {
        requireSuccess(send(HttpRequest.newBuilder(base.resolve("connectors/" + name + "/resume")).PUT(HttpRequest.BodyPublishers.noBody())),
                "resuming connector " + name);
    }

    /**
     * Forgets the source offsets of a stopped connector ({@code DELETE /connectors/<name>/offsets},
     * KIP-875): resumed, Debezium takes a new initial snapshot.
     */
    public void resetOffsets(String name) throws IOException, InterruptedException {
        requireSuccess(send(HttpRequest.newBuilder(base.resolve("connectors/" + name + "/offsets")).DELETE()),
                "resetting the offsets of connector " + name);
    }

    public static Map<String, String> readConfig(java.nio.file.Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new IOException("cannot read connector configuration " + file + ": " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new ConnectException("Kafka Connect is not reachable at " + base + " (make start-cdc)");
        }
    }

    private static void requireSuccess(HttpResponse<String> response, String what) throws IOException {
        if (response.statusCode() >= 300) {
            String message = response.body();
            try {
                JsonNode body = JSON.readTree(response.body());
                if (body.hasNonNull("message")) {
                    message = body.get("message").asText();
                }
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new ConnectException(what + " failed: HTTP " + response.statusCode() + ": " + message);
        }
    }
}
