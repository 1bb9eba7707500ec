package io.datasync.job.sink;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where OpenSearch is and how to log in. Credentials come from OPENSEARCH_USERNAME and
 * OPENSEARCH_PASSWORD, or OPENSEARCH_PASSWORD_FILE; never from flags, never printed.
 */
public record OpenSearchSettings(URI url, Optional<String> username, Optional<String> password) implements Serializable {

    public static OpenSearchSettings from(String url, Map<String, String> env) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--opensearch-url: not a URL: " + url);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("--opensearch-url: expected http(s)://host:port, got " + url);
        }
        Optional<String> password = Optional.ofNullable(env.get("OPENSEARCH_PASSWORD"));
        String file = env.get("OPENSEARCH_PASSWORD_FILE");
        if (password.isEmpty() && file != null) {
            try {
                password = Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new IllegalArgumentException("OPENSEARCH_PASSWORD_FILE: cannot read " + file + ": " + e.getMessage());
            }
        }
        return new OpenSearchSettings(uri, Optional.ofNullable(env.get("OPENSEARCH_USERNAME")), password);
    }

    @Override
    public String toString() {
        return url + username.map(u -> " as " + u).orElse("");
    }
}
