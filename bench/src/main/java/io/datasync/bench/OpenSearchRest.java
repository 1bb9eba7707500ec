package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.sink.OpenSearchSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

/**
 * The benchmarks' way to OpenSearch: its low-level REST client, with the credentials every tool
 * reads ({@link OpenSearchSettings}). A client of its own on purpose: the plain consumer and the
 * probes measure the job, so they share none of its data path, only the settings and the client a
 * user would pick.
 */
public final class OpenSearchRest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    /** An answer, whatever its status. */
    public record Answer(int statusCode, String body) {}

    private final RestClient client;

    public OpenSearchRest(String url) {
        this(url, 120_000);
    }

    /** {@code socketTimeoutMillis}: how long an answer may take (a probe counts a slow one as failed). */
    public OpenSearchRest(String url, int socketTimeoutMillis) {
        RestClientBuilder builder = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(config -> config.setConnectTimeout(5_000).setSocketTimeout(socketTimeoutMillis));
        BasicCredentialsProvider credentials = credentials(url);
        if (credentials != null) {
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        this.client = builder.build();
    }

    /** {@code path} with its query string; {@code body} JSON or null. */
    public Answer send(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        return perform(request);
    }

    /** A {@code _bulk} request: newline-delimited actions and sources, sent as they are. */
    public Answer bulk(byte[] ndjson) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.setEntity(new ByteArrayEntity(ndjson, NDJSON));
        return perform(request);
    }

    /** The answer's JSON body. */
    public JsonNode json(String method, String path, String body) throws IOException {
        return JSON.readTree(send(method, path, body).body());
    }

    /** Documents in an index or alias; 0 while it does not exist. */
    public long count(String index) throws IOException {
        return json("GET", "/" + index + "/_count", null).path("count").asLong(0);
    }

    private Answer perform(Request request) throws IOException {
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        }
        return new Answer(response.getStatusLine().getStatusCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
    }

    /** The credentials every tool reads, by the one rule of {@link OpenSearchSettings#from}; null without a user. */
    private static BasicCredentialsProvider credentials(String url) {
        OpenSearchSettings settings = OpenSearchSettings.from(url, System.getenv());
        if (settings.username().filter(user -> !user.isEmpty()).isEmpty()) {
            return null;
        }
        BasicCredentialsProvider provider = new BasicCredentialsProvider();
        provider.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(settings.username().get(), settings.password().orElse("")));
        return provider;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
