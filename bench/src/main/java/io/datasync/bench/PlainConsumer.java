package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark 5's baseline: the design a user would otherwise write (the seed planned it as a Go
 * consumer) — a Kafka consumer of the same topics that turns each poll into one bulk request,
 * indexing each row's {@code after} image by its primary key (or deleting it), then commits the
 * offsets. No enrichment, no state, no ordering beyond Kafka's own. One thread, like the original.
 *
 * <p>It runs as its own JVM ({@link #main}, started by {@link PlainConsumerProcess}), so that its
 * CPU time, GC pauses and memory can be measured apart from the benchmark's load and probe.
 */
final class PlainConsumer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A topic, the index it feeds and the column that is the document id. */
    record Route(String topic, String index, String key) {}

    private final Map<String, Route> routes;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OpenSearchRest openSearch;
    private final AtomicLong records = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    PlainConsumer(String bootstrap, String groupId, List<Route> routes, String openSearchUrl) {
        this.routes = routes.stream().collect(java.util.stream.Collectors.toMap(Route::topic, r -> r));
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.openSearch = new OpenSearchRest(openSearchUrl);
        this.thread = new Thread(this::loop, "plain-consumer");
    }

    void start() {
        thread.start();
    }

    /** Records consumed and acknowledged by OpenSearch (offsets committed). */
    long records() throws Exception {
        if (failure != null) {
            throw failure;
        }
        return records.get();
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join();
        openSearch.close();
    }

    /**
     * The consumer as a child process: {@code <bootstrap> <group> <opensearch-url> <topic,index,key>…}.
     * Prints {@code ready} once its Kafka consumer is built, starts on a {@code go} line, then prints
     * {@code records <n>} as the count grows; stops when its input ends (so it never outlives the
     * benchmark), printing {@code stopped <n>}; on a failure prints {@code failed <reason>} and exits 1.
     */
    public static void main(String[] args) throws Exception {
        List<Route> routes = java.util.Arrays.stream(args).skip(3).map(r -> r.split(",", 3)).map(r -> new Route(r[0], r[1], r[2])).toList();
        PlainConsumer consumer = new PlainConsumer(args[0], args[1], routes, args[2]);
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        if (!"go".equals(in.readLine())) {
            System.exit(0); // not started: the OpenSearch client's I/O threads would keep the JVM up until killed
        }
        consumer.start();
        Thread stdin = new Thread(() -> {
            try {
                while (in.readLine() != null) {
                    // only the end of the input matters
                }
            } catch (java.io.IOException ended) {
                // as good as the end
            }
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        long reported = -1;
        try {
            while (stdin.isAlive()) {
                long records = consumer.records();
                if (records != reported) {
                    System.out.println("records " + records);
                    System.out.flush();
                    reported = records;
                }
                Thread.sleep(50);
            }
            consumer.close();
            System.out.println("stopped " + consumer.records());
            System.out.flush();
        } catch (Exception e) {
            System.out.println("failed " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
            System.out.flush();
            System.exit(1);
        }
        System.exit(0); // whatever client thread might linger
    }

    private void loop() {
        try (consumer) {
            consumer.subscribe(routes.keySet());
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
                if (polled.isEmpty()) {
                    continue;
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream(polled.count() * 400);
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    append(body, routes.get(record.topic()), record.value());
                }
                if (body.size() > 0) {
                    send(body.toByteArray());
                }
                consumer.commitSync();
                records.addAndGet(polled.count());
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The bulk action for one Debezium event: index the after image, delete on a delete; tombstones skipped. */
    static void append(ByteArrayOutputStream body, Route route, byte[] value) throws java.io.IOException {
        if (value == null) {
            return;
        }
        JsonNode event = JSON.readTree(value);
        JsonNode after = event.path("after");
        boolean delete = "d".equals(event.path("op").asText());
        JsonNode row = delete ? event.path("before") : after;
        String id = JSON.writeValueAsString(row.path(route.key()).asText());
        String action = "{\"" + (delete ? "delete" : "index") + "\":{\"_index\":\"" + route.index() + "\",\"_id\":" + id + "}}\n";
        body.writeBytes(action.getBytes(StandardCharsets.UTF_8));
        if (!delete) {
            body.writeBytes(JSON.writeValueAsBytes(after));
            body.write('\n');
        }
    }

    private void send(byte[] body) throws Exception {
        OpenSearchRest.Answer response = openSearch.bulk(body);
        JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        if (answer == null) {
            throw new IllegalStateException("bulk request failed: HTTP " + response.statusCode());
        }
        if (answer.path("errors").asBoolean()) {
            for (JsonNode item : answer.path("items")) {
                JsonNode result = item.elements().next();
                // A delete of a document never indexed (404) is fine; anything else is a failure.
                if (result.path("status").asInt() >= 300 && result.path("status").asInt() != 404) {
                    throw new IllegalStateException("bulk item rejected: " + result);
                }
            }
        }
    }
}
