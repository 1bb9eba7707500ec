package io.datasync.postgres.changes;

import io.datasync.postgres.changes.Change.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, realistic mix of row changes on the comments model: mostly likes updates and new
 * comments, some comment deletes and moves and user renames, and rarely a video rename (which
 * rewrites every comment document of the video, ~110 on average at seed size) or a video delete
 * (which cascades to its comments). A like adds one like to the count the mix last wrote or
 * read, as a user's like does; every other value written is unique. So each value is new for its
 * row, and a document shows exactly which change it reflects. Rows can be held ("claimed") while a
 * caller watches for their document; the mix then leaves them alone until released. Thread-safe.
 *
 * <p>Shares, per 1,000 changes: {@link #WEIGHTS}.
 */
public final class ChangeMix {
    /**
     * Out of 1,000: likes, new comments, comment deletes, moves, user renames, video renames, video
     * deletes. About as many comments come as go (a video delete takes ~110 with it), so a long load
     * keeps the data at its size: with 4 video deletes per 1,000, 12 minutes at 1,000 changes/s had
     * taken away two thirds of the comments and five sixths of the videos.
     */
    static final int[] WEIGHTS = {503, 250, 80, 60, 100, 6, 1};

    private final Random random;
    private final List<String> videos;
    private final List<String> users;
    private final List<String> comments;
    /** Each comment's likes as the mix last wrote or read them (absent: 0, the column's default). */
    private final Map<String, Integer> likes;
    private final String insertPrefix;
    private final Set<String> claimed = new HashSet<>();
    private long sequence;

    ChangeMix(long seed, List<String> videos, List<String> users, List<String> comments, String insertPrefix) {
        this(seed, videos, users, comments, Map.of(), insertPrefix);
    }

    ChangeMix(long seed, List<String> videos, List<String> users, List<String> comments, Map<String, Integer> likes, String insertPrefix) {
        if (videos.isEmpty() || users.isEmpty()) {
            throw new IllegalArgumentException("the change mix needs at least one video and one user");
        }
        this.random = new Random(seed);
        this.videos = new ArrayList<>(videos);
        this.users = new ArrayList<>(users);
        this.comments = new ArrayList<>(comments);
        this.likes = new HashMap<>(likes);
        this.insertPrefix = insertPrefix;
    }

    /**
     * Reads the current keys; new comments are named {@code <insertPrefix><n>}, which must be unused.
     * Soft-deleted comments are left out: they have no document in which a change could be seen.
     */
    public static ChangeMix load(Connection db, long seed, String insertPrefix) throws SQLException {
        try (Statement statement = db.createStatement()) {
            Map<String, Integer> likes = new HashMap<>();
            List<String> comments = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT comment_id, coalesce(likes, 0) FROM comments WHERE deleted_at IS NULL ORDER BY 1")) {
                while (rs.next()) {
                    comments.add(rs.getString(1));
                    likes.put(rs.getString(1), rs.getInt(2));
                }
            }
            return new ChangeMix(seed, ids(statement, "SELECT video_id FROM videos"), ids(statement, "SELECT channel_id FROM users"), comments, likes, insertPrefix);
        }
    }

    /** The next change; with {@code claim}, its row stays out of later changes until {@link #release}. */
    public synchronized Change next(boolean claim) {
        Change change = null;
        while (change == null) {
            change = draw(random.nextInt(1000));
        }
        if (claim) {
            claimed.add(change.row());
        }
        return change;
    }

    public synchronized void release(Change change) {
        claimed.remove(change.row());
    }

    private Change draw(int dice) {
        long n = ++sequence;
        Kind kind = kind(dice);
        switch (kind) {
            case LIKES -> {
                // One more like, not a new count: a count jumping to the change's number put every liked comment
                // at the top of its video, which no user's like does (and rewrote every array holding it).
                String id = pick("comments", comments);
                if (id == null) {
                    return null;
                }
                int liked = likes.merge(id, 1, Integer::sum);
                return new Change(kind, "comments", id, "likes", Integer.toString(liked),
                        "UPDATE comments SET likes = " + liked + " WHERE comment_id = " + quote(id));
            }
            case INSERT -> {
                String id = insertPrefix + n;
                String text = "load ✓ " + n;
                comments.add(id);
                return new Change(kind, "comments", id, "comment_text", text,
                        "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, published_at) VALUES (" + quote(id) + ", "
                                + quote(videos.get(random.nextInt(videos.size()))) + ", " + quote(users.get(random.nextInt(users.size())))
                                + ", " + quote(text) + ", now())");
            }
            case DELETE -> {
                String id = take("comments", comments);
                if (id == null) {
                    return null;
                }
                likes.remove(id);
                return new Change(kind, "comments", id, null, null, "DELETE FROM comments WHERE comment_id = " + quote(id));
            }
            case MOVE -> {
                String id = pick("comments", comments);
                String video = videos.get(random.nextInt(videos.size()));
                return id == null ? null : new Change(kind, "comments", id, "video_id", video,
                        "UPDATE comments SET video_id = " + quote(video) + ", published_at = now() WHERE comment_id = " + quote(id));
            }
            case USER_RENAME -> {
                String id = pick("users", users);
                String name = "Name " + n;
                return id == null ? null : new Change(kind, "users", id, "channel_name", name,
                        "UPDATE users SET channel_name = " + quote(name) + " WHERE channel_id = " + quote(id));
            }
            case VIDEO_RENAME -> {
                String id = pick("videos", videos);
                String title = "Title " + n;
                return id == null ? null : new Change(kind, "videos", id, "title", title,
                        "UPDATE videos SET title = " + quote(title) + " WHERE video_id = " + quote(id));
            }
            default -> {
                if (videos.size() <= 3) {
                    return null;
                }
                String id = take("videos", videos);
                return id == null ? null : new Change(kind, "videos", id, null, null, "DELETE FROM videos WHERE video_id = " + quote(id));
            }
        }
    }

    /** The kind a roll of 0–999 draws, by {@link #WEIGHTS}. */
    static Kind kind(int dice) {
        Kind[] order = {Kind.LIKES, Kind.INSERT, Kind.DELETE, Kind.MOVE, Kind.USER_RENAME, Kind.VIDEO_RENAME, Kind.CASCADE_DELETE};
        int bound = 0;
        for (int i = 0; i < order.length; i++) {
            bound += WEIGHTS[i];
            if (dice < bound) {
                return order[i];
            }
        }
        throw new IllegalArgumentException("a roll of 0-999, not " + dice);
    }

    /** A random key that is not claimed (null when a few draws all hit claimed rows). */
    private String pick(String table, List<String> ids) {
        int at = pickIndex(table, ids);
        return at < 0 ? null : ids.get(at);
    }

    /** Like {@link #pick}, and removes the key (swapped with the last one, so it is O(1)). */
    private String take(String table, List<String> ids) {
        int at = pickIndex(table, ids);
        if (at < 0) {
            return null;
        }
        String id = ids.get(at);
        ids.set(at, ids.get(ids.size() - 1));
        ids.remove(ids.size() - 1);
        return id;
    }

    private int pickIndex(String table, List<String> ids) {
        for (int attempt = 0; attempt < 8 && !ids.isEmpty(); attempt++) {
            int at = random.nextInt(ids.size());
            if (!claimed.contains(table + ":" + ids.get(at))) {
                return at;
            }
        }
        return -1;
    }

    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static List<String> ids(Statement statement, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql + " ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
