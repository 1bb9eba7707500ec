package io.datasync.job.sink;

/**
 * What a failed bulk item means. A version conflict is expected (a replay, or a write overtaken by
 * a newer one) and counts as success; a 4xx other than throttling is permanent for that document
 * and goes to the dead-letter topic; anything else is transient and fails the request, so the job
 * retries from its last checkpoint.
 */
public enum ItemOutcome {
    SUCCESS,
    VERSION_CONFLICT,
    PERMANENT,
    TRANSIENT;

    public static ItemOutcome of(boolean failed, int status) {
        if (!failed) {
            return SUCCESS;
        }
        if (status == 409) {
            return VERSION_CONFLICT;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return PERMANENT;
        }
        return TRANSIENT;
    }
}
