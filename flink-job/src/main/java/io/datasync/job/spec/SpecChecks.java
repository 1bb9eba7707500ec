package io.datasync.job.spec;

final class SpecChecks {
    private SpecChecks() {}

    static void require(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException(setting + ": missing");
        }
    }
}
