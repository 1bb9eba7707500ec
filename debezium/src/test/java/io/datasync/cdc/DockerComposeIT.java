package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.datasync.testing.ProjectRoot;
import io.datasync.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine); this keeps it valid and in step with the
 * native stack: the compose CLI validates it, and its ports, files and settings are checked
 * against the ones the stack scripts use.
 */
class DockerComposeIT {
    private static final Path ROOT = ProjectRoot.get();

    @Test
    void theComposeCliAcceptsTheFile() {
        List<String> cli = composeCli();
        assumeTrue(!cli.isEmpty(), "no compose CLI on this machine (.ci/run installs docker-compose)");
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of("-f", "docker-compose.yml", "config", "--quiet"));

        Shell.Result result = Shell.run(ROOT, Map.of(), 60, command.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void servicesUseTheNativePortsOnLoopbackOnly() throws IOException {
        JsonNode services = compose().path("services");

        assertThat(ports(services, "postgres")).containsExactly("127.0.0.1:5432:5432");
        assertThat(ports(services, "kafka")).containsExactly("127.0.0.1:9092:9092");
        assertThat(ports(services, "connect")).containsExactly("127.0.0.1:8083:8083");
        assertThat(ports(services, "kafka-ui")).containsExactly("127.0.0.1:8081:8080");
        assertThat(ports(services, "jobmanager")).containsExactly("127.0.0.1:" + flinkConf().get("rest.port") + ":" + flinkConf().get("rest.port"));
    }

    @Test
    void theDatabaseUsesTheSameSqlAndSettings() throws IOException {
        JsonNode postgres = compose().path("services").path("postgres");

        assertThat(texts(postgres.path("volumes")))
                .contains("./postgres/postgresql.conf:/etc/postgresql/data-sync.conf:ro", "./postgres/sql:/docker-entrypoint-initdb.d:ro");
    }

    @Test
    void connectIsConfiguredLikeTheNativeWorker() throws IOException {
        JsonNode env = compose().path("services").path("connect").path("environment");
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve("stack/conf/connect-distributed.properties"))) {
            worker.load(in);
        }

        assertThat(env.path("GROUP_ID").asText()).isEqualTo(worker.getProperty("group.id"));
        assertThat(env.path("CONFIG_STORAGE_TOPIC").asText()).isEqualTo(worker.getProperty("config.storage.topic"));
        assertThat(env.path("OFFSET_STORAGE_TOPIC").asText()).isEqualTo(worker.getProperty("offset.storage.topic"));
        assertThat(env.path("STATUS_STORAGE_TOPIC").asText()).isEqualTo(worker.getProperty("status.storage.topic"));
        assertThat(env.path("CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE").asText()).isEqualTo(worker.getProperty("value.converter.schemas.enable"));
        assertThat(env.path("CONNECT_VALUE_CONVERTER_REPLACE_NULL_WITH_DEFAULT").asText())
                .isEqualTo(worker.getProperty("value.converter.replace.null.with.default")).isEqualTo("false");
        assertThat(env.path("CONNECT_KEY_CONVERTER_REPLACE_NULL_WITH_DEFAULT").asText())
                .isEqualTo(worker.getProperty("key.converter.replace.null.with.default")).isEqualTo("false");
        assertThat(env.path("CONNECT_CONFIG_PROVIDERS_ENV_CLASS").asText()).isEqualTo(worker.getProperty("config.providers.env.class"));
        assertThat(env.path("CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY").asText())
                .isEqualTo(worker.getProperty("connector.client.config.override.policy"));
        // The connector JSON reads the database and the signal channel's Kafka through ${env:…}: the container must define each.
        java.util.regex.Matcher references = java.util.regex.Pattern.compile("\\$\\{env:([A-Z_]+)}")
                .matcher(Files.readString(ProjectRoot.get().resolve("debezium/postgres-connector.json")));
        int count = 0;
        while (references.find()) {
            assertThat(env.has(references.group(1))).as("connect's environment defines %s", references.group(1)).isTrue();
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(6);
    }

    @Test
    void setupRegistersTheSameConnectorFileAndTopicPlan() throws IOException {
        JsonNode setup = compose().path("services").path("cdc-setup");

        assertThat(setup.path("command").get(0).asText())
                .contains("create-topics --plan debezium/topics.json")
                .contains("register --config debezium/postgres-connector.json");
        assertThat(compose().path("services").path("kafka").path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
                .isEqualTo("false");
    }

    @Test
    void theFlinkClusterHasTheNativeVersionAndSettings() throws IOException {
        JsonNode services = compose().path("services");
        String flinkVersion = rootPomProperty("flink.version");
        Map<String, String> native_ = flinkConf();

        for (String service : List.of("jobmanager", "taskmanager", "job-submitter")) {
            assertThat(services.path(service).path("image").asText()).as(service).isEqualTo("flink:" + flinkVersion + "-java17");
        }
        Map<String, String> jobManager = properties(services.path("jobmanager").path("environment").path("FLINK_PROPERTIES").asText());
        Map<String, String> taskManager = properties(services.path("taskmanager").path("environment").path("FLINK_PROPERTIES").asText());
        for (String key : List.of("rest.port", "jobmanager.memory.process.size", "execution.checkpointing.interval",
                "execution.checkpointing.externalized-checkpoint-retention", "execution.checkpointing.num-retained", "state.backend.type",
                "state.backend.incremental", "restart-strategy.type", "heartbeat.timeout", "state.changelog.storage")) {
            assertThat(jobManager.get(key)).as(key).isEqualTo(native_.get(key));
        }
        for (String key : List.of("taskmanager.memory.process.size", "taskmanager.memory.managed.fraction", "taskmanager.numberOfTaskSlots",
                "state.changelog.storage")) {
            assertThat(taskManager.get(key)).as(key).isEqualTo(native_.get(key));
        }
        // The job's changelog (with --state-backend hashmap) is written by the TaskManager and read back on recovery: a shared volume.
        assertThat(taskManager.get("state.changelog.dstl.dfs.base-path")).isEqualTo(jobManager.get("state.changelog.dstl.dfs.base-path")).startsWith("file:///flink/checkpoints/");
    }

    @Test
    void theSubmitterRunsThisBuildsJobJarWithTheJobsOwnOptions() throws IOException {
        List<String> command = texts(compose().path("services").path("job-submitter").path("command"));
        String jobOptions = Files.readString(ROOT.resolve("flink-job/src/main/java/io/datasync/job/JobOptions.java"));
        String jarName = Files.readString(ROOT.resolve("flink-job/pom.xml")).replaceAll("(?s).*<finalName>([^<]+)</finalName>.*", "$1") + ".jar";

        assertThat(command).startsWith("run", "-d").contains("/job/" + jarName);
        assertThat(command.stream().filter(arg -> arg.startsWith("--")))
                .isNotEmpty()
                .allSatisfy(option -> assertThat(jobOptions).as("an option of the job").contains("names = \"" + option + "\""));
        assertThat(texts(compose().path("services").path("job-submitter").path("volumes"))).containsExactly("./flink-job/target:/job:ro");
    }

    /** flink-conf/config.yaml: flattened keys, one per line. */
    private static Map<String, String> flinkConf() throws IOException {
        return properties(Files.readString(ROOT.resolve("flink-conf/config.yaml")));
    }

    private static Map<String, String> properties(String lines) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String line : lines.split("\n")) {
            int colon = line.indexOf(':');
            if (!line.isBlank() && !line.startsWith("#") && colon > 0) {
                values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    private static String rootPomProperty(String name) throws IOException {
        return Files.readString(ROOT.resolve("pom.xml")).replaceAll("(?s).*<" + name.replace(".", "\\.") + ">([^<]+)</.*", "$1");
    }

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    private static List<String> ports(JsonNode services, String service) {
        return texts(services.path(service).path("ports"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** {@code docker compose} (v2 plugin) where it exists, else the standalone {@code docker-compose}. */
    private static List<String> composeCli() {
        if (Shell.run(ROOT, Map.of(), 30, "sh", "-c", "docker compose version").exitCode() == 0) {
            return List.of("docker", "compose");
        }
        if (Shell.run(ROOT, Map.of(), 30, "sh", "-c", "command -v docker-compose").exitCode() == 0) {
            return List.of("docker-compose");
        }
        return List.of();
    }
}
