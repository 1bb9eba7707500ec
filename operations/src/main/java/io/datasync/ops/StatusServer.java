package io.datasync.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The status service: the pipeline's state for people ({@code /}, a page that refreshes itself),
 * for scripts ({@code /api/status}, what {@code make status JSON=yes} prints too) and for
 * Prometheus ({@code /metrics}, {@link StatusMetrics}). One reading of the pipeline serves every
 * request of the next two seconds: a page refreshing and a scrape at once ask the services once.
 * It reads the pipeline every 10 s by itself too, for the page's chart of the last hour.
 */
@Command(name = "status-server", mixinStandardHelpOptions = true, description = "Serves the pipeline's status page, /api/status and /metrics.")
public final class StatusServer implements Callable<Integer> {
    private static final long FRESH_MILLIS = 2_000;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    @Mixin
    StatusOptions options;

    @Option(names = "--port", defaultValue = "${env:STATUS_PORT:-8090}", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; docker-compose gives 0.0.0.0 inside its network, published on 127.0.0.1).")
    String host;

    private PipelineStatus pipeline;
    private PipelineSnapshot last;
    private final FreshnessHistory history = new FreshnessHistory(Duration.ofHours(1));

    public static void main(String[] args) {
        Commands.exit(new StatusServer(), args, 2);
    }

    @Override
    public Integer call() throws Exception {
        pipeline = options.pipeline();
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/metrics", exchange -> respond(exchange, PrometheusTextFormatWriter.CONTENT_TYPE, StatusMetrics.text(snapshot())));
        server.createContext("/api/status", exchange -> respond(exchange, "application/json", StatusTable.json(snapshot(), history.points())));
        server.createContext("/", this::page);
        server.start();
        Executors.newSingleThreadScheduledExecutor().scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        System.out.println("status page http://" + host + ":" + port + "/ · JSON /api/status · Prometheus /metrics");
        new CountDownLatch(1).await();
        return 0;
    }

    private synchronized PipelineSnapshot snapshot() {
        if (last == null || System.currentTimeMillis() - last.takenAtMillis() > FRESH_MILLIS) {
            last = pipeline.read();
            history.add(last);
        }
        return last;
    }

    private void sample() {
        try {
            snapshot();
        } catch (RuntimeException e) {
            // A reading that failed as a whole (each part catches its own errors): the next one comes in 10 s.
            System.err.println("reading the pipeline failed: " + e);
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String resource = path.equals("/") ? "index.html" : path.substring(1);
        if (!resource.matches("[a-z-]+\\.(html|js|css)")) {
            respond(exchange, 404, "text/plain", "not found");
            return;
        }
        try (InputStream in = StatusServer.class.getResourceAsStream("/status-page/" + resource)) {
            if (in == null) {
                respond(exchange, 404, "text/plain", "not found");
                return;
            }
            String type = resource.endsWith(".html") ? "text/html; charset=utf-8" : resource.endsWith(".js") ? "text/javascript" : "text/css";
            respond(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        respond(exchange, 200, type, body);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
