-- Debezium's signalling table (signal.data.collection): `make resnapshot` asks for incremental
-- snapshots through the Kafka signal channel, and Debezium itself writes the open/close markers
-- of each snapshot chunk here, which it must see in the WAL (so the table is in the publication).
-- The three columns are Debezium's required layout: an id, the signal type, its JSON data.
CREATE TABLE IF NOT EXISTS debezium_signal (
    id   varchar(64)   PRIMARY KEY,
    type varchar(32)   NOT NULL,
    data varchar(2048) NULL
);
