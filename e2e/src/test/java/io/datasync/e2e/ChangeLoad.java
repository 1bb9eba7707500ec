package io.datasync.e2e;

import io.datasync.testing.TestStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded stream of mixed changes through JDBC, each in its own transaction: likes updates,
 * video and user renames (fan-out), comment moves, new comments, comment deletes, and now and then
 * a cascaded video delete. Runs for a fixed time; {@link #applied()} counts the statements.
 */
final class ChangeLoad implements Runnable {
    private final TestStack stack;
    private final Random random;
    private final Duration duration;
    private volatile int applied;

    ChangeLoad(TestStack stack, long seed, Duration duration) {
        this.stack = stack;
        this.random = new Random(seed);
        this.duration = duration;
    }

    int applied() {
        return applied;
    }

    @Override
    public void run() {
        long end = System.nanoTime() + duration.toNanos();
        try (Connection db = stack.connect(); Statement statement = db.createStatement()) {
            List<String> videos = ids(statement, "SELECT video_id FROM videos");
            List<String> users = ids(statement, "SELECT channel_id FROM users");
            List<String> comments = ids(statement, "SELECT comment_id FROM comments");
            int next = 0;
            while (System.nanoTime() < end) {
                int dice = random.nextInt(100);
                String sql;
                if (dice < 35 && !comments.isEmpty()) {
                    sql = "UPDATE comments SET likes = likes + 1 WHERE comment_id = '" + pick(comments) + "'";
                } else if (dice < 45) {
                    sql = "UPDATE videos SET title = 'Title " + random.nextInt(1000) + "' WHERE video_id = '" + pick(videos) + "'";
                } else if (dice < 55) {
                    sql = "UPDATE users SET channel_name = 'Name " + random.nextInt(1000) + "' WHERE channel_id = '" + pick(users) + "'";
                } else if (dice < 70 && !comments.isEmpty()) {
                    sql = "UPDATE comments SET video_id = '" + pick(videos) + "', published_at = now() WHERE comment_id = '" + pick(comments) + "'";
                } else if (dice < 88) {
                    String id = "load-" + next++;
                    comments.add(id);
                    sql = "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, published_at) VALUES ('" + id + "', '"
                            + pick(videos) + "', '" + pick(users) + "', 'load ✓ " + id + "', now())";
                } else if (dice < 98 && !comments.isEmpty()) {
                    sql = "DELETE FROM comments WHERE comment_id = '" + comments.remove(random.nextInt(comments.size())) + "'";
                } else if (videos.size() > 3) {
                    sql = "DELETE FROM videos WHERE video_id = '" + videos.remove(random.nextInt(videos.size())) + "'";
                } else {
                    continue;
                }
                statement.execute(sql);
                applied++;
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the change load failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String pick(List<String> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private static List<String> ids(Statement statement, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (var rs = statement.executeQuery(sql + " ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
