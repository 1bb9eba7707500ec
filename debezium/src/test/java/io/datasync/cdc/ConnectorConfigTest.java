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
                .containsEntry("table.include.list", "public.videos,public.users,public.comments,public.debezium_heartbeat,public.debezium_signal")
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
    void takesSignalsFromItsTableAndKafkaAndReportsIncrementalSnapshotsOnATopic() {
        // The signal table is captured (in the publication): Debezium sees its own chunk markers there in the WAL.
        assertThat(config.get("table.include.list")).contains(config.get("signal.data.collection"));
        assertThat(config).containsEntry("signal.data.collection", "public.debezium_signal")
                .containsEntry("signal.enabled.channels", "source,kafka")
                .containsEntry("signal.kafka.topic", "dbserver.signals")
                .containsEntry("signal.kafka.bootstrap.servers", "${env:KAFKA_BOOTSTRAP}")
                .containsEntry("notification.enabled.channels", "sink")
                .containsEntry("notification.sink.topic.name", "dbserver.notifications");
    }

    @Test
    void producesDurablyAndKeepsSecretsOutOfTheFile() {
        assertThat(config).containsEntry("producer.override.acks", "all")
                .containsEntry("producer.override.enable.idempotence", "true")
                .containsEntry("database.password", "${env:PGPASSWORD}");
    }
}
