package io.datasync.job.types;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance for values that repeat across many states: a video's looked-up fields in every one
 * of its comments' documents, a child's tiny aggregate inputs ({"likes":0}). Heap state keeps the
 * object it is given, so sharing here is memory saved for as long as the state lives. Used where
 * a value is put into state, not when state is read: RocksDB deserializes on every read, and a
 * profile of it showed the lookups here as 6% of the job's CPU for nothing kept. Bounded:
 * when full it starts over (instances already shared stay shared); a value not found is simply
 * not shared, so correctness never depends on it.
 */
public final class Shared {
    static final int CAPACITY = 200_000;
    private static final ConcurrentHashMap<Object, Object> VALUES = new ConcurrentHashMap<>();

    private Shared() {}

    /** The shared instance equal to {@code value} (immutable values only), or {@code value} itself. */
    @SuppressWarnings("unchecked")
    public static <T> T of(T value) {
        if (value == null) {
            return null;
        }
        if (VALUES.size() >= CAPACITY) {
            VALUES.clear();
        }
        Object shared = VALUES.putIfAbsent(value, value);
        return shared == null ? value : (T) shared;
    }
}
