package io.datasync.job;

/**
 * Where every tool finds each service unless told otherwise, as picocli default values: one rule for
 * all (a full address variable wins, else 127.0.0.1 and the port variable the stack scripts use, else
 * the default port). PostgreSQL is read from PG* (ConnectionSettings.fromEnvironment), OpenSearch's
 * credentials from OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD or _FILE (OpenSearchSettings.from);
 * the cdc CLI applies the same rule in code (it does not depend on this module).
 */
public final class ServiceDefaults {
    public static final String KAFKA = "${env:KAFKA_BOOTSTRAP:-127.0.0.1:${env:KAFKA_PORT:-9092}}";
    public static final String CONNECT = "${env:CONNECT_URL:-http://127.0.0.1:${env:CONNECT_PORT:-8083}}";
    public static final String CONNECT_METRICS = "${env:CONNECT_METRICS_URL:-http://127.0.0.1:${env:CONNECT_METRICS_PORT:-9405}/metrics}";
    public static final String OPENSEARCH = "${env:OPENSEARCH_URL:-http://127.0.0.1:${env:OPENSEARCH_PORT:-9200}}";
    public static final String FLINK = "${env:FLINK_URL:-http://127.0.0.1:${env:WEB_UI_PORT:-8082}}";

    private ServiceDefaults() {}
}
