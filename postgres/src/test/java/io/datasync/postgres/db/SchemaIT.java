package io.datasync.postgres.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.testing.TestStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The installed schema, checked in PostgreSQL's own catalogs. */
class SchemaIT {
    private Connection connection;

    @BeforeEach
    void installFreshSchema() throws SQLException {
        connection = TestStack.shared(TestStack.Service.POSTGRES).connect();
        Schema.drop(connection);
        Schema.apply(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void tablesHaveTheSeedColumnsWithTheirTypesAndNullability() throws SQLException {
        assertThat(columns("videos")).containsExactly(
                "video_id character varying(255) NO",
                "title text NO",
                "category character varying(100) YES",
                "created_at timestamp without time zone YES",
                "updated_at timestamp without time zone YES");
        assertThat(columns("users")).containsExactly(
                "channel_id character varying(255) NO",
                "channel_name character varying(255) NO",
                "created_at timestamp without time zone YES",
                "updated_at timestamp without time zone YES");
        assertThat(columns("comments")).containsExactly(
                "comment_id character varying(255) NO",
                "video_id character varying(255) YES",
                "channel_id character varying(255) YES",
                "comment_text text NO",
                "likes integer YES",
                "replies integer YES",
                "published_at timestamp without time zone YES",
                "sentiment_label character varying(50) YES",
                "country_code character varying(10) YES",
                "created_at timestamp without time zone YES",
                "updated_at timestamp without time zone YES",
                "deleted_at timestamp without time zone YES");
    }

    @Test
    void keysCascadeDeletesFromVideosAndUsers() throws SQLException {
        assertThat(strings("SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid IN ('videos'::regclass, 'users'::regclass, 'comments'::regclass) ORDER BY 1"))
                .containsExactlyInAnyOrder(
                        "comments FOREIGN KEY (channel_id) REFERENCES users(channel_id) ON DELETE CASCADE",
                        "comments FOREIGN KEY (video_id) REFERENCES videos(video_id) ON DELETE CASCADE",
                        "comments PRIMARY KEY (comment_id)",
                        "users PRIMARY KEY (channel_id)",
                        "videos PRIMARY KEY (video_id)");

        execute("INSERT INTO videos (video_id, title) VALUES ('v1', 'T')",
                "INSERT INTO users (channel_id, channel_name) VALUES ('u1', 'N')",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text) VALUES ('c1', 'v1', 'u1', 'x'), ('c2', 'v1', 'u1', 'y')",
                "DELETE FROM videos WHERE video_id = 'v1'");
        assertThat(strings("SELECT count(*)::text FROM comments")).containsExactly("0");
    }

    @Test
    void defaultsFillAuditColumnsAndCounters() throws SQLException {
        execute("INSERT INTO videos (video_id, title) VALUES ('v1', 'T')",
                "INSERT INTO users (channel_id, channel_name) VALUES ('u1', 'N')",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text) VALUES ('c1', 'v1', 'u1', 'x')");

        assertThat(strings("SELECT likes || ' ' || replies || ' ' || (created_at IS NOT NULL) || ' ' || (updated_at IS NOT NULL) FROM comments"))
                .containsExactly("0 0 true true");
    }

    @Test
    void updateTriggerKeepsUpdatedAtCurrentOnAllThreeTables() throws SQLException {
        String past = "'2000-01-01 00:00:00'";
        execute("INSERT INTO videos (video_id, title, updated_at) VALUES ('v1', 'T', " + past + ")",
                "INSERT INTO users (channel_id, channel_name, updated_at) VALUES ('u1', 'N', " + past + ")",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, updated_at) VALUES ('c1', 'v1', 'u1', 'x', " + past + ")",
                "UPDATE videos SET title = 'T2'",
                "UPDATE users SET channel_name = 'N2'",
                "UPDATE comments SET likes = 5");

        assertThat(strings("SELECT (updated_at > '2020-01-01')::text FROM videos UNION ALL SELECT (updated_at > '2020-01-01')::text FROM users"
                        + " UNION ALL SELECT (updated_at > '2020-01-01')::text FROM comments"))
                .containsExactly("true", "true", "true");
    }

    @Test
    void commentIndexesServeTheLookupsTheJobMakes() throws SQLException {
        assertThat(strings("SELECT indexdef FROM pg_indexes WHERE tablename = 'comments' AND indexname LIKE 'idx_%' ORDER BY indexname"))
                .containsExactly(
                        "CREATE INDEX idx_comments_channel_id ON public.comments USING btree (channel_id)",
                        "CREATE INDEX idx_comments_published_at ON public.comments USING btree (published_at)",
                        "CREATE INDEX idx_comments_video_id ON public.comments USING btree (video_id)",
                        "CREATE INDEX idx_comments_video_published ON public.comments USING btree (video_id, published_at DESC)");
    }

    @Test
    void replicaIdentityStaysDefaultAndServerIsReadyForLogicalDecoding() throws SQLException {
        assertThat(strings("SELECT relname || '=' || relreplident::text FROM pg_class WHERE relname IN ('videos', 'users', 'comments') ORDER BY 1"))
                .containsExactly("comments=d", "users=d", "videos=d");
        assertThat(new Inspector(connection).health()).allSatisfy(check -> assertThat(check.ok()).as(check.name()).isTrue());
    }

    @Test
    void applyingTwiceIsHarmless() throws SQLException {
        execute("INSERT INTO videos (video_id, title) VALUES ('v1', 'T')");

        Schema.apply(connection);

        assertThat(strings("SELECT video_id FROM videos")).containsExactly("v1");
    }

    @Test
    void titleIsRequired() {
        assertThatThrownBy(() -> execute("INSERT INTO videos (video_id) VALUES ('v1')"))
                .hasMessageContaining("null value in column \"title\"");
    }

    private List<String> columns(String table) throws SQLException {
        return strings("SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable"
                + " FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private void execute(String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }
}
