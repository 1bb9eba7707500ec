package io.datasync.job.sink;

import java.io.Serializable;
import java.net.URI;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

/**
 * Where the sink writes and how it logs in, in a form that travels with the job graph
 * ({@link OpenSearchSettings} holds Optionals, which do not serialize). Never prints the password.
 */
record Endpoint(String url, String username, String password) implements Serializable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    static Endpoint of(OpenSearchSettings settings) {
        return new Endpoint(settings.url().toString(), settings.username().orElse(null), settings.password().orElse(null));
    }

    /** A low-level client; basic auth when both username and password are set (the client sends it preemptively). */
    RestClient open(int socketTimeoutMillis) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        RestClientBuilder builder = RestClient.builder(new HttpHost(uri.getHost(), port, uri.getScheme()))
                .setRequestConfigCallback(config -> config.setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setSocketTimeout(socketTimeoutMillis));
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) {
            builder.setPathPrefix(uri.getPath());
        }
        if (username != null && password != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            builder.setHttpClientConfigCallback(client -> client.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return url + (username == null ? "" : " as " + username);
    }
}
