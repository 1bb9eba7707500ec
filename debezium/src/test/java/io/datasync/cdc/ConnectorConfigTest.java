package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.testing.ProjectRoot;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deliberate choices of debezium/postgres-connector.json, which the job and docs rely on. */
class ConnectorConfigTest {
    private final Map<String, String> config;

    ConnectorConfigTest() throws IOException {
        config = ConnectClient.readConfig(ProjectRoot.get().resolve("debezium/postgres-connector.json"));
    }

    @Test
    void capturesTheThreeTablesThroughANamedSlotAndFilteredPublication() {
        assertThat(config).containsEntry("plugin.name", "pgoutput")
                .containsEntry("topic.prefix", "dbserver")
                .containsEntry("table.include.list", "public.videos,public.users,public.comments,public.debezium_heartbeat")
                .containsEntry("slot.name", "dbserver_slot")
                .containsEntry("publication.name", "dbserver_publication")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("snapshot.mode", "initial");
    }

    @Test
    void encodesValuesSoTheJobCanDecodeThemWithoutSchemas() {
        assertThat(config).containsEntry("decimal.handling.mode", "string")
                .containsEntry("time.precision.mode", "isostring")
                .containsEntry("tombstones.on.delete", "true")
                .containsEntry("skipped.operations", "none")
                .containsKey("heartbeat.interval.ms")
                .hasEntrySatisfying("heartbeat.action.query", query -> assertThat(query).contains("debezium_heartbeat"));
    }

    @Test
    void producesDurablyAndKeepsSecretsOutOfTheFile() {
        assertThat(config).containsEntry("producer.override.acks", "all")
                .containsEntry("producer.override.enable.idempotence", "true")
                .containsEntry("database.password", "${env:PGPASSWORD}");
    }
}
