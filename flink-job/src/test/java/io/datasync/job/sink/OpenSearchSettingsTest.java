package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchSettingsTest {
    @Test
    void theCredentialsAreTheSameFromTheEnvironmentOrAPasswordFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "s3cret\n");

        OpenSearchSettings fromFile = OpenSearchSettings.from("http://127.0.0.1:9200", Map.of("OPENSEARCH_USERNAME", "admin", "OPENSEARCH_PASSWORD_FILE",
                secret.toString()));
        OpenSearchSettings fromVariable = OpenSearchSettings.from("http://127.0.0.1:9200", Map.of("OPENSEARCH_USERNAME", "admin", "OPENSEARCH_PASSWORD",
                "s3cret"));

        // What every tool's client (Endpoint) logs in with: the same from the file as from the variable.
        assertThat(fromFile.username()).contains("admin");
        assertThat(fromFile.password()).contains("s3cret");
        assertThat(fromVariable).isEqualTo(fromFile);
        assertThat(OpenSearchSettings.from("http://127.0.0.1:9200", Map.of("OPENSEARCH_USERNAME", "admin")).password()).isEmpty();
        assertThat(fromFile.toString()).doesNotContain("s3cret");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> OpenSearchSettings.from("127.0.0.1:9200", Map.of())).hasMessageContaining("--opensearch-url");
    }
}
