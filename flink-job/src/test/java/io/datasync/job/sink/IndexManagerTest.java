package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.sun.net.httpserver.HttpServer;
import io.datasync.job.spec.SyncSpecParser;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexManagerTest {
    /**
     * The OpenSearch build available here has no security plugin, so it accepts any credentials: a
     * loopback HTTP server answering 401 as a secured cluster does stands in for it.
     */
    @Test
    void refusedCredentialsFailBeforeAnyIndexIsCreatedNamingTheSettingsButNotThePassword() throws Exception {
        HttpServer secured = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secured.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"Unauthorized\"}".getBytes();
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        secured.start();
        try {
            String url = "http://127.0.0.1:" + secured.getAddress().getPort();
            OpenSearchSettings settings = OpenSearchSettings.from(url, Map.of("OPENSEARCH_USERNAME", "admin", "OPENSEARCH_PASSWORD", "s3cret-known"));

            assertThatThrownBy(() -> new IndexManager(settings).ensureIndexes(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC), SyncSpecParser.DEFAULT_SPEC, null, line -> {}))
                    .hasMessageContaining("refused the credentials (HTTP 401)")
                    .hasMessageContaining("OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD")
                    .hasMessageNotContaining("s3cret-known");
        } finally {
            secured.stop(0);
        }
    }

    @Test
    void anUnreachableOpenSearchIsAnErrorNamingTheUrlSetting() throws Exception {
        int free;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }
        OpenSearchSettings settings = OpenSearchSettings.from("http://127.0.0.1:" + free, Map.of());

        assertThatThrownBy(() -> new IndexManager(settings).aliasTargets("comments_index"))
                .hasMessageContaining("--opensearch-url http://127.0.0.1:" + free + ": OpenSearch is not reachable");
    }

    @Test
    void aRebuiltIndexGoesLiveWithTheSettingsItsMappingFileWritesInAnyOfOpenSearchsForms() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(IndexManager.setting(json.readTree("{\"refresh_interval\":\"1s\"}"), "refresh_interval").asText()).isEqualTo("1s");
        assertThat(IndexManager.setting(json.readTree("{\"index.refresh_interval\":\"2s\"}"), "refresh_interval").asText()).isEqualTo("2s");
        assertThat(IndexManager.setting(json.readTree("{\"index\":{\"refresh_interval\":\"3s\"}}"), "refresh_interval").asText()).isEqualTo("3s");
        assertThat(IndexManager.setting(json.readTree("{\"index\":{\"translog\":{\"durability\":\"request\"}}}"), "translog.durability").asText())
                .isEqualTo("request");
        assertThat(IndexManager.setting(json.readTree("{\"translog.durability\":\"async\"}"), "translog.durability").asText()).isEqualTo("async");
        // Not written: null puts OpenSearch's default back.
        assertThat(IndexManager.setting(json.readTree("{\"number_of_shards\":1}"), "translog.durability").isNull()).isTrue();
    }

    @Test
    void aRebuildBulkLoadsItsIndexesWithARareRefreshAndAnAsyncTranslog() throws Exception {
        assertThat(new ObjectMapper().readTree(IndexManager.BUILD_SETTINGS).path("index"))
                .hasToString("{\"refresh_interval\":\"10s\",\"translog.durability\":\"async\"}");
    }
}
