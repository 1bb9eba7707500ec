-- Debezium's heartbeat writes here (heartbeat.action.query) every heartbeat interval. The table
-- is captured, so the replication slot receives a change and its confirmed position advances
-- even while videos, users and comments are idle: PostgreSQL can then recycle the WAL that other
-- activity produced. One row, updated in place; its events go to a topic the job ignores.
CREATE TABLE IF NOT EXISTS debezium_heartbeat (
    id      integer     PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
