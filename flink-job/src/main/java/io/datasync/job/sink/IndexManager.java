package io.datasync.job.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Creates what the spec's indexes need before any data moves: each versioned concrete index from
 * its mapping file (the response is checked: a failed creation would let bulk writes auto-create
 * the index with dynamic mappings) and the alias that names it.
 */
public final class IndexManager {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public IndexManager(OpenSearchSettings settings) {
        this.settings = settings;
    }

    /** One line per index saying what was done. */
    public List<String> ensureIndexes(SyncSpec spec, String specLocation) throws IOException, InterruptedException {
        List<String> report = new ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            report.add(ensure(index, specLocation));
        }
        report.add(ensureEpochRecord());
        return report;
    }

    /** The highest write epoch recorded for any of the spec's concrete indexes (0 when none is): the job starts above it. */
    public long recordedEpoch(SyncSpec spec) throws IOException, InterruptedException {
        long highest = 0;
        for (IndexSpec index : spec.indexes()) {
            HttpResponse<String> record = send("GET", "/" + EpochRecord.INDEX + "/_doc/" + index.concreteIndex() + "?_source=false", null);
            JsonNode body = JSON.readTree(record.body());
            if (record.statusCode() == 200 && body.path("found").asBoolean()) {
                highest = Math.max(highest, body.path("_version").asLong());
            } else if (record.statusCode() != 404) {
                throw new IllegalStateException("reading the write epoch of " + index.concreteIndex() + " from " + EpochRecord.INDEX
                        + " failed: HTTP " + record.statusCode() + ": " + record.body());
            }
        }
        return highest;
    }

    private String ensureEpochRecord() throws IOException, InterruptedException {
        HttpResponse<String> created = send("PUT", "/" + EpochRecord.INDEX, EpochRecord.SETTINGS);
        if (created.statusCode() == 200) {
            return "created  " + EpochRecord.INDEX + " (the highest write epoch of each index)";
        }
        if (created.body().contains("resource_already_exists_exception")) {
            return "exists   " + EpochRecord.INDEX;
        }
        throw new IllegalStateException("creating index " + EpochRecord.INDEX + " failed: HTTP " + created.statusCode() + ": " + created.body());
    }

    private String ensure(IndexSpec index, String specLocation) throws IOException, InterruptedException {
        HttpResponse<String> alias = send("GET", "/_alias/" + index.name(), null);
        if (alias.statusCode() == 200) {
            List<String> targets = new ArrayList<>();
            for (Iterator<String> it = JSON.readTree(alias.body()).fieldNames(); it.hasNext(); ) {
                targets.add(it.next());
            }
            if (!targets.equals(List.of(index.concreteIndex()))) {
                throw new IllegalStateException("alias " + index.name() + " points at " + targets + " but the sync spec writes "
                        + index.concreteIndex() + "; a new index version needs a re-index (see README, upgrades)");
            }
            return "exists   " + index.name() + " -> " + index.concreteIndex();
        }
        if (alias.statusCode() != 404) {
            throw new IllegalStateException("OpenSearch at " + settings.url() + " answered HTTP " + alias.statusCode() + " for alias "
                    + index.name() + ": " + alias.body());
        }
        String mapping;
        try (InputStream in = SyncSpecParser.openRelative(specLocation, index.mapping())) {
            mapping = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponse<String> created = send("PUT", "/" + index.concreteIndex(), mapping);
        if (created.statusCode() != 200 && !created.body().contains("resource_already_exists_exception")) {
            throw new IllegalStateException("creating index " + index.concreteIndex() + " from " + index.mapping() + " failed: HTTP "
                    + created.statusCode() + ": " + created.body());
        }
        String action = "{\"actions\":[{\"add\":{\"index\":\"" + index.concreteIndex() + "\",\"alias\":\"" + index.name() + "\"}}]}";
        HttpResponse<String> aliased = send("POST", "/_aliases", action);
        JsonNode body = JSON.readTree(aliased.body());
        if (aliased.statusCode() != 200 || !body.path("acknowledged").asBoolean()) {
            throw new IllegalStateException("adding alias " + index.name() + " failed: HTTP " + aliased.statusCode() + ": " + aliased.body());
        }
        return "created  " + index.concreteIndex() + " (alias " + index.name() + ", mapping " + index.mapping() + ")";
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url().toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (settings.username().isPresent() && settings.password().isPresent()) {
            String token = settings.username().get() + ":" + settings.password().get();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new IllegalStateException("OpenSearch at " + settings.url() + " refused the credentials (HTTP " + response.statusCode()
                        + "); check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD");
            }
            return response;
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            throw new IllegalStateException("--opensearch-url " + settings.url() + ": OpenSearch is not reachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }
}
