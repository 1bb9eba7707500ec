package io.datasync.job.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;

/**
 * How the tools around the job (index setup, the verifier, make status, make reindex) talk to
 * OpenSearch: its own low-level REST client, built once from {@link OpenSearchSettings} as the
 * sink's is (credentials sent on every request, timeouts), answering with the status and body
 * whatever the status, so callers decide what a 404 means. Refused credentials and an unreachable
 * node are errors that say which setting to check.
 */
public final class OpenSearchHttp implements AutoCloseable {
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    /** An answer: HTTP status and body. */
    public record Answer(int statusCode, String body) {
        public boolean ok() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    private final OpenSearchSettings settings;
    private final RestClient client;

    public OpenSearchHttp(OpenSearchSettings settings) {
        this.settings = settings;
        this.client = Endpoint.of(settings).open(SOCKET_TIMEOUT_MILLIS);
    }

    /** {@code path} with its query string, e.g. "/comments_index/_search?scroll=2m"; {@code body} JSON or null. */
    public Answer send(String method, String path, String body) throws IOException {
        int query = path.indexOf('?');
        Request request = new Request(method, query < 0 ? path : path.substring(0, query));
        if (query >= 0) {
            for (String parameter : path.substring(query + 1).split("&")) {
                int equals = parameter.indexOf('=');
                request.addParameter(decode(equals < 0 ? parameter : parameter.substring(0, equals)), equals < 0 ? "" : decode(parameter.substring(equals + 1)));
            }
        }
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        } catch (ConnectException e) {
            throw new IllegalStateException("--opensearch-url " + settings.url() + ": OpenSearch is not reachable (" + e.getMessage() + ")", e);
        }
        int status = response.getStatusLine().getStatusCode();
        if (status == 401 || status == 403) {
            throw new IllegalStateException("OpenSearch at " + settings.url() + " refused the credentials (HTTP " + status
                    + "); check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD");
        }
        return new Answer(status, response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
