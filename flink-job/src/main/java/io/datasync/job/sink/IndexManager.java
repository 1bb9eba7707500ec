package io.datasync.job.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Creates what the spec's indexes need before any data moves: each concrete index from its mapping
 * file (the response is checked: a failed creation would let bulk writes auto-create the index
 * with dynamic mappings), the alias that names it, and the record of write epochs.
 */
public final class IndexManager {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchSettings settings;

    public IndexManager(OpenSearchSettings settings) {
        this.settings = settings;
    }

    /**
     * The concrete indexes this run writes, each created when missing (one line per index saying
     * what was done into {@code report}). Serving ({@code rebuildLabel} null): the alias's index,
     * which must hold the spec's version, or {@code <alias>_v<version>} created and aliased. A
     * rebuild: new indexes {@code <alias>_v<version>_<label>} beside the live ones, no alias touched.
     */
    public IndexTargets ensureIndexes(SyncSpec spec, String specLocation, String rebuildLabel, java.util.function.Consumer<String> report)
            throws IOException, InterruptedException {
        java.util.Map<String, String> targets = new java.util.LinkedHashMap<>();
        for (IndexSpec index : spec.indexes()) {
            String concrete = rebuildLabel == null ? serve(index, specLocation, report) : build(index, specLocation, IndexTargets.rebuilt(index, rebuildLabel), report);
            targets.put(index.name(), concrete);
        }
        report.accept(ensureEpochRecord());
        return new IndexTargets(targets);
    }

    /** The highest write epoch recorded for any of {@code targets} (0 when none is): the job starts above it. */
    public long recordedEpoch(IndexTargets targets) throws IOException, InterruptedException {
        long highest = 0;
        for (String concrete : targets.concreteByAlias().values()) {
            OpenSearchHttp.Answer record = send("GET", "/" + EpochRecord.INDEX + "/_doc/" + concrete + "?_source=false", null);
            JsonNode body = JSON.readTree(record.body());
            if (record.statusCode() == 200 && body.path("found").asBoolean()) {
                highest = Math.max(highest, body.path("_version").asLong());
            } else if (record.statusCode() != 404) {
                throw new IllegalStateException("reading the write epoch of " + concrete + " from " + EpochRecord.INDEX
                        + " failed: HTTP " + record.statusCode() + ": " + record.body());
            }
        }
        return highest;
    }

    /** The concrete indexes each alias points at (absent: no such alias). */
    public List<String> aliasTargets(String alias) throws IOException, InterruptedException {
        OpenSearchHttp.Answer response = send("GET", "/_alias/" + alias, null);
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("OpenSearch at " + settings.url() + " answered HTTP " + response.statusCode() + " for alias "
                    + alias + ": " + response.body());
        }
        List<String> targets = new ArrayList<>();
        for (Iterator<String> it = JSON.readTree(response.body()).fieldNames(); it.hasNext(); ) {
            targets.add(it.next());
        }
        return targets;
    }

    private String serve(IndexSpec index, String specLocation, java.util.function.Consumer<String> report) throws IOException, InterruptedException {
        List<String> targets = aliasTargets(index.name());
        if (!targets.isEmpty()) {
            if (targets.size() != 1 || !IndexTargets.servesVersion(index, targets.get(0))) {
                throw new IllegalStateException("alias " + index.name() + " points at " + targets + " but the sync spec says version "
                        + index.version() + " (" + index.concreteIndex() + "); build it beside the live one without downtime: make reindex"
                        + " (README, \"Rebuild and re-index\")");
            }
            report.accept("exists   " + index.name() + " -> " + targets.get(0));
            return targets.get(0);
        }
        create(index, specLocation, index.concreteIndex());
        String action = "{\"actions\":[{\"add\":{\"index\":\"" + index.concreteIndex() + "\",\"alias\":\"" + index.name() + "\"}}]}";
        OpenSearchHttp.Answer aliased = send("POST", "/_aliases", action);
        JsonNode body = JSON.readTree(aliased.body());
        if (aliased.statusCode() != 200 || !body.path("acknowledged").asBoolean()) {
            throw new IllegalStateException("adding alias " + index.name() + " failed: HTTP " + aliased.statusCode() + ": " + aliased.body());
        }
        report.accept("created  " + index.concreteIndex() + " (alias " + index.name() + ", mapping " + index.mapping() + ")");
        return index.concreteIndex();
    }

    /** A rebuild's index must be new: a leftover of an earlier attempt could hold documents this run never writes. */
    private String build(IndexSpec index, String specLocation, String concrete, java.util.function.Consumer<String> report)
            throws IOException, InterruptedException {
        OpenSearchHttp.Answer existing = send("HEAD", "/" + concrete, null);
        if (existing.statusCode() == 200) {
            throw new IllegalStateException("index " + concrete + " exists already: a rebuild writes into new indexes only (delete it, or pick another label)");
        }
        create(index, specLocation, concrete);
        putSettings(concrete, BUILD_SETTINGS);
        report.accept("created  " + concrete + " (to be " + index.name() + ", mapping " + index.mapping()
                + "; no alias yet; refreshed every 10 s and its translog synced every 5 s until it goes live)");
        return concrete;
    }

    /**
     * A rebuild's index is bulk-loaded: refreshed every 10 s instead of every second (make reindex's
     * catch-up counts its documents, so not much less often), and its translog synced every 5 s
     * instead of on every bulk. Writes lost to an OpenSearch crash in that time are found by the
     * verification before the swap, which runs after {@link #goLive} put the mapping's own settings
     * back and made everything durable.
     */
    static final String BUILD_SETTINGS = "{\"index\":{\"refresh_interval\":\"10s\",\"translog.durability\":\"async\"}}";

    /**
     * The settings of the mapping file back on a rebuilt index (its refresh interval and translog
     * durability, or OpenSearch's defaults when it names none), then its writes flushed to disk and
     * made searchable: before the rebuilt index is verified and served.
     */
    public void goLive(IndexSpec index, String specLocation, String concrete) throws IOException, InterruptedException {
        JsonNode mapped;
        try (InputStream in = SyncSpecParser.openRelative(specLocation, index.mapping())) {
            mapped = JSON.readTree(in).path("settings");
        }
        ObjectNode live = JSON.createObjectNode();
        live.set("refresh_interval", setting(mapped, "refresh_interval"));
        live.set("translog.durability", setting(mapped, "translog.durability"));
        putSettings(concrete, JSON.createObjectNode().set("index", live).toString());
        for (String action : List.of("_flush", "_refresh")) {
            OpenSearchHttp.Answer done = send("POST", "/" + concrete + "/" + action, null);
            if (done.statusCode() != 200) {
                throw new IllegalStateException(action + " of " + concrete + " failed: HTTP " + done.statusCode() + ": " + done.body());
            }
        }
    }

    /** A setting as a mapping file may write it (flat, with or without "index.", or nested), or null: the default. */
    static JsonNode setting(JsonNode settings, String name) {
        for (JsonNode scope : List.of(settings, settings.path("index"))) {
            if (scope.hasNonNull(name)) {
                return scope.get(name);
            }
            if (scope.hasNonNull("index." + name)) {
                return scope.get("index." + name);
            }
            JsonNode nested = scope.at("/" + name.replace('.', '/'));
            if (!nested.isMissingNode() && !nested.isNull()) {
                return nested;
            }
        }
        return NullNode.getInstance();
    }

    private void putSettings(String concrete, String body) throws IOException, InterruptedException {
        OpenSearchHttp.Answer put = send("PUT", "/" + concrete + "/_settings", body);
        if (put.statusCode() != 200) {
            throw new IllegalStateException("setting " + body + " on " + concrete + " failed: HTTP " + put.statusCode() + ": " + put.body());
        }
    }

    private void create(IndexSpec index, String specLocation, String concrete) throws IOException, InterruptedException {
        String mapping;
        try (InputStream in = SyncSpecParser.openRelative(specLocation, index.mapping())) {
            mapping = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        OpenSearchHttp.Answer created = send("PUT", "/" + concrete, mapping);
        if (created.statusCode() != 200 && !created.body().contains("resource_already_exists_exception")) {
            throw new IllegalStateException("creating index " + concrete + " from " + index.mapping() + " failed: HTTP "
                    + created.statusCode() + ": " + created.body());
        }
    }

    private String ensureEpochRecord() throws IOException, InterruptedException {
        OpenSearchHttp.Answer created = send("PUT", "/" + EpochRecord.INDEX, EpochRecord.SETTINGS);
        if (created.statusCode() == 200) {
            return "created  " + EpochRecord.INDEX + " (the highest write epoch of each index)";
        }
        if (created.body().contains("resource_already_exists_exception")) {
            return "exists   " + EpochRecord.INDEX;
        }
        throw new IllegalStateException("creating index " + EpochRecord.INDEX + " failed: HTTP " + created.statusCode() + ": " + created.body());
    }

    /** One request through OpenSearch's own client (a few per run: a client each keeps no threads behind). */
    private OpenSearchHttp.Answer send(String method, String path, String body) throws IOException {
        try (OpenSearchHttp openSearch = new OpenSearchHttp(settings)) {
            return openSearch.send(method, path, body);
        }
    }
}
