package io.datasync.job.spec;

/** A sync spec that cannot be used; the message names the setting. */
public final class InvalidSpecException extends RuntimeException {
    public InvalidSpecException(String message) {
        super(message);
    }

    public InvalidSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
