# data-sync-opensearch: make targets of the native stack (no Docker needed).
# Every service is started by its script in stack/; these targets only chain them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Default data: a generated set of the seed's size. Point DATA_DIR at a folder holding
# videos.csv, users.csv and comments.csv (e.g. the real seed) to load those instead.
DATA_DIR ?=
SEED_COMMENTS ?= 500000
SEED ?= 42
CONFIRM ?=
GRACE ?=

CONNECTOR_CONFIG ?= debezium/postgres-connector.json
TOPIC ?= dbserver.public.comments
TABLES ?=

CLI_JAR := postgres/target/datasource-cli.jar
CDC_JAR := debezium/target/cdc-cli.jar
CDC := java -jar $(CDC_JAR)
JOB_JAR := flink-job/target/data-sync-job.jar
VERIFIER_JAR := verifier/target/verifier-cli.jar
OPS_JAR := operations/target/ops-cli.jar
BENCH_JAR := bench/target/bench-cli.jar
CHAOS_JAR := chaos/target/chaos-cli.jar
DATASOURCE := java -jar $(CLI_JAR)
DATA_ARGS := $(if $(DATA_DIR),--data-dir "$(DATA_DIR)",--comments $(SEED_COMMENTS) --seed $(SEED) --cache-dir var/data)

.PHONY: help up down start stop load-data reset health inspect-schema inspect-data test clean \
	start-cdc stop-cdc status-cdc restart-cdc register-connector tail-topic resnapshot recover-slot capture-fixtures \
	run-job stop-job status-job savepoint upgrade status verify reindex reindex-cleanup bench bench-ceiling bench-job bench-snapshot bench-reindex chaos \
	start-opensearch stop-opensearch status-opensearch start-flink stop-flink status-flink start-status-page stop-status-page start-monitoring stop-monitoring progress test-alerts

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(CLI_JAR): pom.xml postgres/pom.xml test-support/pom.xml $(shell find postgres/src/main postgres/sql -type f 2>/dev/null)
	mvn -q -B -pl postgres -am package -DskipTests

$(CDC_JAR): $(CLI_JAR) debezium/pom.xml $(shell find debezium/src/main -type f 2>/dev/null)
	mvn -q -B -pl debezium -am package -DskipTests

up: ## Start the whole pipeline on the default data: PostgreSQL, Kafka, Connect + Debezium, OpenSearch, monitoring, Flink, the job; then follow the initial load to the end (FOLLOW=no: don't)
	$(MAKE) --no-print-directory start
	$(MAKE) --no-print-directory start-cdc
	$(MAKE) --no-print-directory start-opensearch
	@# Before Flink: its processes push their metrics to the Pushgateway when one answers as they start.
	$(MAKE) --no-print-directory start-monitoring || echo "make up: monitoring did not start (see above); the pipeline starts without it"
	$(MAKE) --no-print-directory start-flink
	$(MAKE) --no-print-directory run-job
	@echo
	@echo "PostgreSQL      127.0.0.1:$${PGPORT:-5432}  (PGPASSWORD=app psql -h 127.0.0.1 -U app app)"
	@echo "Kafka           127.0.0.1:$${KAFKA_PORT:-9092}  topics dbserver.public.videos|users|comments"
	@echo "Kafka Connect   http://127.0.0.1:$${CONNECT_PORT:-8083}/connectors/postgres-connector/status"
	@echo "OpenSearch      http://127.0.0.1:$${OPENSEARCH_PORT:-9200}/comments_index/_search"
	@echo "Flink web UI    http://127.0.0.1:$${WEB_UI_PORT:-8082}  (the job; the seed-size snapshot takes a few minutes)"
	@echo "Status page     http://127.0.0.1:$${STATUS_PORT:-8090}/  (also /api/status and /metrics)"
	@echo "Prometheus      http://127.0.0.1:$${PROMETHEUS_PORT:-9090}/alerts  (scrapes the status page, Flink via the Pushgateway :$${PUSHGATEWAY_PORT:-9091}, Kafka :$${KAFKA_METRICS_PORT:-9404}, Connect :$${CONNECT_METRICS_PORT:-9405})"
	@echo "Check: make status · changes: make tail-topic TOPIC=dbserver.public.comments · make verify"
	@echo
	$(if $(filter no false 0,$(FOLLOW)),@echo "FOLLOW=no: not waiting for the initial load (make progress follows it)",$(MAKE) --no-print-directory progress)

down: ## Stop everything, keeping all data (the job stops with a savepoint; make up resumes from it)
	stack/prometheus.sh stop
	stack/status-page.sh stop
	$(MAKE) --no-print-directory stop-job
	$(MAKE) --no-print-directory stop-flink
	stack/pushgateway.sh stop
	$(MAKE) --no-print-directory stop-opensearch
	$(MAKE) --no-print-directory stop-cdc
	$(MAKE) --no-print-directory stop

$(JOB_JAR): pom.xml flink-job/pom.xml $(shell find flink-job/src/main -type f 2>/dev/null)
	mvn -q -B -pl flink-job -am install -DskipTests

$(OPS_JAR): $(JOB_JAR) $(CDC_JAR) $(VERIFIER_JAR) operations/pom.xml $(shell find operations/src/main -type f 2>/dev/null)
	mvn -q -B -pl operations -am package -DskipTests

$(BENCH_JAR): $(VERIFIER_JAR) $(CLI_JAR) bench/pom.xml $(shell find bench/src/main -type f 2>/dev/null)
	mvn -q -B -pl bench -am package -DskipTests

$(CHAOS_JAR): $(BENCH_JAR) chaos/pom.xml $(shell find chaos/src/main -type f 2>/dev/null)
	mvn -q -B -pl chaos -am package -DskipTests

$(VERIFIER_JAR): $(JOB_JAR) verifier/pom.xml $(shell find verifier/src/main -type f 2>/dev/null)
	mvn -q -B -pl verifier -am package -DskipTests

start: $(CLI_JAR) ## Start PostgreSQL and load the default data if the tables are empty
	stack/postgres.sh start
	$(DATASOURCE) ensure $(DATA_ARGS)

stop: ## Stop PostgreSQL (data kept)
	stack/postgres.sh stop

load-data: $(CLI_JAR) ## Load the data into empty tables (DATA_DIR=… for your own CSVs)
	$(DATASOURCE) load $(DATA_ARGS)

reset: $(CLI_JAR) ## Drop everything and reload the baseline (asks first; CONFIRM=yes to skip)
	stack/postgres.sh start
	$(DATASOURCE) reset $(DATA_ARGS) $(if $(filter yes,$(CONFIRM)),--yes)

health: $(CLI_JAR) ## Is PostgreSQL up and ready for change data capture?
	stack/postgres.sh status
	$(DATASOURCE) health

inspect-schema: $(CLI_JAR) ## Tables, columns, keys, indexes, triggers
	$(DATASOURCE) inspect-schema

inspect-data: $(CLI_JAR) ## Row counts, skew, NULLs, sample rows
	$(DATASOURCE) inspect-data

start-cdc: $(CDC_JAR) ## Start Kafka (KRaft) and Kafka Connect, create the topics, register the Debezium connector
	stack/kafka.sh start
	stack/connect.sh start
	$(CDC) create-topics
	$(CDC) register --config $(CONNECTOR_CONFIG)

stop-cdc: ## Stop Kafka Connect and Kafka (data and offsets kept)
	stack/connect.sh stop
	stack/kafka.sh stop

status-cdc: $(CDC_JAR) ## Kafka and Connect up? Connector and task state, replication slot lag
	stack/kafka.sh status
	stack/connect.sh status
	$(CDC) status

restart-cdc: ## Stop and start Kafka Connect and Kafka
	$(MAKE) --no-print-directory stop-cdc
	$(MAKE) --no-print-directory start-cdc

register-connector: $(CDC_JAR) ## Create or update the connector from CONNECTOR_CONFIG and wait until it runs
	$(CDC) register --config $(CONNECTOR_CONFIG)

tail-topic: $(CDC_JAR) ## Print change events of TOPIC as they arrive, with their commit-to-Kafka delay
	$(CDC) tail --topic $(TOPIC)

recover-slot: $(CDC_JAR) ## After the replication slot was lost (make status: WAL LOST): new slot, new snapshot into the topics; then make reindex
	$(CDC) recover-slot

resnapshot: $(CDC_JAR) ## Re-read tables with Debezium's incremental snapshot while changes stream on, with its progress (TABLES=comments,videos; default: all)
	$(CDC) resnapshot --config $(CONNECTOR_CONFIG) $(if $(TABLES),--tables $(TABLES))

start-opensearch: ## Start OpenSearch (single node, 127.0.0.1:9200 or OPENSEARCH_PORT) and wait until it is healthy
	stack/opensearch.sh start

stop-opensearch: ## Stop OpenSearch (indexes kept)
	stack/opensearch.sh stop

status-opensearch: ## Is OpenSearch up? Its PID, URL and cluster status
	stack/opensearch.sh status

capture-fixtures: ## Re-capture the real Debezium events kept as test fixtures of the job's decoder
	mvn -B -pl debezium -am verify -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=CdcPipelineIT -Dfailsafe.failIfNoSpecifiedTests=false \
	  -Dfixtures.dir=$(CURDIR)/test-support/src/main/resources/fixtures/debezium

start-flink: ## Start the Flink session cluster (JobManager + TaskManager), web UI 127.0.0.1:8082
	stack/flink.sh start

stop-flink: ## Stop the Flink session cluster (stop the job first to keep a savepoint: make stop-job)
	stack/flink.sh stop

status-flink: ## Is the Flink cluster up? PIDs and web UI
	stack/flink.sh status

run-job: $(JOB_JAR) ## Submit the sync job with bin/flink run; resumes from its last savepoint or checkpoint
	stack/job.sh start

stop-job: ## Stop the sync job with a savepoint into savepoints/ (the next run-job resumes from it)
	stack/job.sh stop

status-job: ## Is the sync job running?
	stack/job.sh status

status: $(OPS_JAR) ## One table for the whole pipeline: services, connector, slot lag, job, checkpoints, Kafka lag, rows vs documents (JSON=yes: as JSON); exit 0 only when all is healthy
	@java -jar $(OPS_JAR) $(if $(filter yes true 1,$(JSON)),--json)

start-status-page: $(OPS_JAR) ## The live status page, /api/status and Prometheus /metrics on http://127.0.0.1:8090 (STATUS_PORT)
	stack/status-page.sh start

stop-status-page: ## Stop the status page
	stack/status-page.sh stop

start-monitoring: start-status-page ## The status page, the Pushgateway for Flink's metrics (:9091) and Prometheus on http://127.0.0.1:9090 (PROMETHEUS_PORT) with the alert rules of monitoring/ (installs Debian's packages as root)
	stack/pushgateway.sh start
	stack/prometheus.sh start

stop-monitoring: ## Stop Prometheus, the Pushgateway and the status page (Prometheus' data kept in var/prometheus)
	stack/prometheus.sh stop
	stack/pushgateway.sh stop
	stack/status-page.sh stop

progress: $(OPS_JAR) ## Follow the load until every row is a searchable document: Debezium's snapshot, the job, documents, rate, time left (make up ends with it)
	@java -cp $(OPS_JAR) io.datasync.ops.ProgressCli

savepoint: ## Take a savepoint of the running job into savepoints/ (it keeps running)
	stack/job.sh savepoint

upgrade: ## Stop the job with a savepoint and start JAR=… from it (default: this build's job jar)
	$(if $(JAR),,$(MAKE) --no-print-directory $(JOB_JAR))
	stack/job.sh upgrade $(or $(JAR),$(JOB_JAR))

verify: $(VERIFIER_JAR) ## Compare every OpenSearch document with PostgreSQL; exit 1 on drift (WAIT=PT60S to wait for catch-up, IGNORE_FIELDS=a,b for plug-in fields)
	java -jar $(VERIFIER_JAR) --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --wait $${WAIT:-PT0S} \
		$${IGNORE_FIELDS:+--ignore-field $$IGNORE_FIELDS}

reindex: $(OPS_JAR) $(JOB_JAR) ## Rebuild every index beside the live ones while search answers, verify it, move the aliases at once (CONFIRM=yes or GRACE=PT10M deletes the old ones)
	java -cp $(OPS_JAR) io.datasync.ops.ReindexCli --connector-config $(CONNECTOR_CONFIG) $(if $(filter yes,$(CONFIRM)),--delete-old now,$(if $(GRACE),--delete-old $(GRACE)))

reindex-cleanup: $(OPS_JAR) ## Delete the indexes no alias serves any more (the old ones make reindex kept)
	java -cp $(OPS_JAR) io.datasync.ops.ReindexCli --cleanup

bench: $(BENCH_JAR) $(JOB_JAR) ## All benchmarks (issues 6, 13) on the running pipeline, started first if need be: bench/results/bench.{md,json}, *.png (BENCH_ARGS=… e.g. --rates 500,2000 --long-window PT0S)
	@# Not following the initial load: the benchmark times its own phases, from the data set up.
	$(MAKE) --no-print-directory up FOLLOW=no
	java -Xmx4g -jar $(BENCH_JAR) all --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --out $${BENCH_OUT:-bench/results} $(BENCH_ARGS)

bench-ceiling: $(BENCH_JAR) ## Benchmark 1: this machine's OpenSearch ceiling for the final documents (needs make start, start-opensearch); bench/results/ceiling.*
	java -Xmx4g -jar $(BENCH_JAR) ceiling --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --out $${BENCH_OUT:-bench/results}

bench-job: $(BENCH_JAR) $(JOB_JAR) ## Benchmark 2: the job from the topics to the three indexes, from scratch (needs make up; restarts the job without state); bench/results/job.*
	java -jar $(BENCH_JAR) job --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --out $${BENCH_OUT:-bench/results}

bench-snapshot: $(BENCH_JAR) $(JOB_JAR) ## Benchmark 3: the initial load end to end, Debezium's snapshot and the job at once (needs make up; resets the connector and restarts the job without state); bench/results/snapshot.*
	java -jar $(BENCH_JAR) snapshot --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --out $${BENCH_OUT:-bench/results}

bench-reindex: $(BENCH_JAR) $(OPS_JAR) $(JOB_JAR) ## make reindex on the running pipeline under 300 changes/s, search watched every 50 ms: bench/results/reindex.* (BENCH_ARGS=--rate …)
	java -jar $(BENCH_JAR) reindex --opensearch-url http://127.0.0.1:$${OPENSEARCH_PORT:-9200} --out $${BENCH_OUT:-bench/results} $(BENCH_ARGS)

chaos: $(CHAOS_JAR) $(JOB_JAR) ## Every fault (kill -9 TaskManager/JobManager/Connect/Kafka, OpenSearch away 60 s, savepoint mid-burst, TaskManager killed after 12 min at 1,000/s) under load, verified after each: chaos/results/chaos.{md,json} (CHAOS_ARGS=… e.g. --faults kafka,connect)
	@# Not following the initial load: the first fault strikes during the job's snapshot.
	$(MAKE) --no-print-directory up FOLLOW=no
	java -jar $(CHAOS_JAR) --out $${CHAOS_OUT:-chaos/results} $(CHAOS_ARGS)

test: ## Run all tests: unit tests and integration tests against real services, and the alert rules' unit tests
	mvn -B verify
	stack/prometheus.sh test-rules

test-alerts: ## The alert rules' unit tests (promtool test rules monitoring/alerts-test.yml; installs Debian's prometheus if missing)
	stack/prometheus.sh test-rules

clean: ## Stop everything and delete all data and build output (savepoints/ is kept)
	stack/prometheus.sh stop
	stack/status-page.sh stop
	stack/flink.sh stop
	stack/pushgateway.sh stop
	stack/opensearch.sh stop
	stack/connect.sh stop
	stack/kafka.sh stop
	stack/postgres.sh stop
	stack/opensearch.sh wipe
	stack/connect.sh wipe
	stack/kafka.sh wipe
	stack/postgres.sh wipe
	stack/flink.sh wipe
	rm -rf var/data var/job
	mvn -q -B clean
