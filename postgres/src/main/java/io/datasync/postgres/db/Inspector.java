package io.datasync.postgres.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Read-only reports on the database: health for CDC, the installed schema, and the data. */
public final class Inspector {
    private static final int WHOLE = Integer.MAX_VALUE;
    private static final int CUT_TEXT_AT = 60;

    private final Connection connection;

    public Inspector(Connection connection) {
        this.connection = connection;
    }

    /** One health check: what was checked, whether it passed, and what was found. */
    public record Check(String name, boolean ok, String found) {}

    public List<Check> health() throws SQLException {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("server", true, scalar("SELECT 'PostgreSQL ' || current_setting('server_version')")));
        String walLevel = scalar("SHOW wal_level");
        checks.add(new Check("wal_level is logical", "logical".equals(walLevel), walLevel));
        int slots = Integer.parseInt(scalar("SHOW max_replication_slots"));
        checks.add(new Check("max_replication_slots >= 4", slots >= 4, Integer.toString(slots)));
        int senders = Integer.parseInt(scalar("SHOW max_wal_senders"));
        checks.add(new Check("max_wal_senders >= 4", senders >= 4, Integer.toString(senders)));
        String walKeep = scalar("SHOW max_slot_wal_keep_size");
        checks.add(new Check("retained WAL is bounded (max_slot_wal_keep_size)", !"-1".equals(walKeep), walKeep));
        boolean replication = Boolean.parseBoolean(scalar("SELECT rolreplication::text FROM pg_roles WHERE rolname = current_user"));
        checks.add(new Check("role " + scalar("SELECT current_user") + " may replicate", replication, replication ? "REPLICATION" : "NOREPLICATION"));
        boolean installed = Schema.isInstalled(connection);
        checks.add(new Check("tables videos, users, comments exist", installed, installed ? "yes" : "no (run: make start)"));
        if (installed) {
            String triggers = scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%_set_updated_at' AND NOT tgisinternal");
            checks.add(new Check("updated_at triggers on all three tables", "3".equals(triggers), triggers));
            String identities = scalar("SELECT string_agg(relname || '=' || relreplident::text, ', ' ORDER BY relname) FROM pg_class"
                    + " WHERE relname IN ('videos', 'users', 'comments') AND relkind = 'r'");
            checks.add(new Check("replica identity is the default (d)", !identities.matches(".*=[^d].*"), identities));
            checks.add(new Check("rows", true, scalar("SELECT format('videos %s, users %s, comments %s',"
                    + " (SELECT count(*) FROM videos), (SELECT count(*) FROM users), (SELECT count(*) FROM comments))")));
        }
        return checks;
    }

    public String schemaReport() throws SQLException {
        requireSchema();
        StringBuilder out = new StringBuilder();
        for (String table : List.of("videos", "users", "comments")) {
            out.append("Table public.").append(table).append('\n');
            out.append(query(WHOLE, "SELECT column_name AS column, data_type"
                    + " || coalesce('(' || character_maximum_length || ')', '') AS type,"
                    + " CASE is_nullable WHEN 'NO' THEN 'not null' ELSE '' END AS nullable, coalesce(column_default, '') AS default"
                    + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '" + table + "'"
                    + " ORDER BY ordinal_position"));
            out.append(query(WHOLE, "SELECT conname AS constraint, pg_get_constraintdef(oid) AS definition FROM pg_constraint"
                    + " WHERE conrelid = 'public." + table + "'::regclass ORDER BY contype DESC, conname"));
            out.append(query(WHOLE, "SELECT indexname AS index, indexdef AS definition FROM pg_indexes"
                    + " WHERE schemaname = 'public' AND tablename = '" + table + "' ORDER BY indexname"));
            out.append(query(WHOLE, "SELECT tgname AS trigger, pg_get_triggerdef(oid) AS definition FROM pg_trigger"
                    + " WHERE tgrelid = 'public." + table + "'::regclass AND NOT tgisinternal ORDER BY tgname"));
            out.append(query(WHOLE, "SELECT CASE relreplident WHEN 'd' THEN 'default (primary key)' WHEN 'f' THEN 'full'"
                    + " WHEN 'n' THEN 'nothing' ELSE 'index' END AS replica_identity FROM pg_class WHERE oid = 'public." + table + "'::regclass"));
            out.append('\n');
        }
        return out.toString();
    }

    public String dataReport() throws SQLException {
        requireSchema();
        return "Row counts\n"
                + query(CUT_TEXT_AT, "SELECT 'videos' AS table, count(*) AS rows FROM videos UNION ALL SELECT 'users', count(*) FROM users"
                        + " UNION ALL SELECT 'comments', count(*) FROM comments")
                + "\nVideos with the most comments\n"
                + query(CUT_TEXT_AT, "SELECT v.video_id, v.title, v.category, count(*) AS comments FROM comments c JOIN videos v USING (video_id)"
                        + " GROUP BY v.video_id ORDER BY comments DESC, v.video_id LIMIT 5")
                + "\nUsers by number of comments written\n"
                + query(CUT_TEXT_AT, "SELECT CASE WHEN n >= 10 THEN '10+' ELSE n::text END AS comments_written, count(*) AS users"
                        + " FROM (SELECT count(*) AS n FROM comments GROUP BY channel_id) per_user"
                        + " GROUP BY 1 ORDER BY min(n)")
                + "\nComments by sentiment\n"
                + query(CUT_TEXT_AT, "SELECT coalesce(sentiment_label, '(null)') AS sentiment_label, count(*) AS comments FROM comments GROUP BY 1 ORDER BY 2 DESC")
                + "\nNULLs in nullable columns\n"
                + query(CUT_TEXT_AT, "SELECT 'videos.category' AS column, count(*) FILTER (WHERE category IS NULL) AS nulls, count(*) AS rows FROM videos"
                        + " UNION ALL SELECT 'comments.published_at', count(*) FILTER (WHERE published_at IS NULL), count(*) FROM comments"
                        + " UNION ALL SELECT 'comments.sentiment_label', count(*) FILTER (WHERE sentiment_label IS NULL), count(*) FROM comments"
                        + " UNION ALL SELECT 'comments.country_code', count(*) FILTER (WHERE country_code IS NULL), count(*) FROM comments")
                + "\nPublished between\n"
                + query(CUT_TEXT_AT, "SELECT min(published_at) AS first, max(published_at) AS last FROM comments")
                + "\nSample comments\n"
                + query(CUT_TEXT_AT, "SELECT comment_id, video_id, channel_id, comment_text, likes, replies, published_at, sentiment_label, country_code"
                        + " FROM comments ORDER BY comment_id LIMIT 5");
    }

    private void requireSchema() throws SQLException {
        if (!Schema.isInstalled(connection)) {
            throw new IllegalStateException("the tables videos, users and comments are not installed (make start)");
        }
    }

    private String scalar(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String query(int maxCell, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            return TextTable.render(rs, maxCell);
        }
    }
}
