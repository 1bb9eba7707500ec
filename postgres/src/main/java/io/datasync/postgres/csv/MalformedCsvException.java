package io.datasync.postgres.csv;

/** A seed CSV that cannot be loaded, with the file and the line where the problem starts. */
public final class MalformedCsvException extends Exception {
    private final String file;
    private final long line;

    public MalformedCsvException(String file, long line, String reason) {
        super(file + " line " + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public MalformedCsvException(String file, long line, String reason, Throwable cause) {
        this(file, line, reason);
        initCause(cause);
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }
}
