package io.datasync.postgres.generate;

/**
 * How much seed data to generate, and from which random seed. Every video and every user gets at
 * least one comment, so neither may outnumber the comments.
 */
public record GeneratorSettings(long seed, int comments, int videos, int users) {

    /** Row counts of the real seed: the first 500,000 rows of the source data set, normalized. */
    public static final int SEED_COMMENTS = 500_000;

    public static final int SEED_VIDEOS = 4_560;
    public static final int SEED_USERS = 391_277;

    public GeneratorSettings {
        if (comments < 1) {
            throw new IllegalArgumentException("comments must be at least 1, was " + comments);
        }
        if (videos < 1) {
            throw new IllegalArgumentException("videos must be at least 1, was " + videos);
        }
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        if (videos > comments) {
            throw new IllegalArgumentException(
                    "videos (" + videos + ") must not exceed comments (" + comments
                            + "): every video needs at least one comment");
        }
        if (users > comments) {
            throw new IllegalArgumentException(
                    "users (" + users + ") must not exceed comments (" + comments
                            + "): every user needs at least one comment");
        }
    }

    /** The same row counts as the real seed. */
    public static GeneratorSettings seedSize(long seed) {
        return new GeneratorSettings(seed, SEED_COMMENTS, SEED_VIDEOS, SEED_USERS);
    }

    /** {@code comments} comments, with videos and users in the real seed's proportions. */
    public static GeneratorSettings forComments(long seed, int comments) {
        if (comments < 1) {
            throw new IllegalArgumentException("comments must be at least 1, was " + comments);
        }
        return new GeneratorSettings(
                seed, comments, scaled(comments, SEED_VIDEOS), scaled(comments, SEED_USERS));
    }

    /** Rounds half up in integer arithmetic, so seed size maps back onto the exact seed counts. */
    private static int scaled(int comments, int seedCount) {
        long rounded = ((long) comments * seedCount + SEED_COMMENTS / 2) / SEED_COMMENTS;
        return (int) Math.max(1, Math.min(comments, rounded));
    }
}
