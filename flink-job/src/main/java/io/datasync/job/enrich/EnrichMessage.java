package io.datasync.job.enrich;

import java.util.Map;

/**
 * What flows between the enrichment operators, addressed by {@code target}, the key of the
 * operator state it updates:
 * <ul>
 *   <li>to parent state ({@code P|…}): a parent row for a lookup, a child referencing or leaving a
 *       parent, a child's contribution to an aggregate;</li>
 *   <li>to a document ({@code D|index|id}): its root row, a looked-up part, aggregate values.</li>
 * </ul>
 * Built only through the factories below, which name what each kind carries.
 */
public record EnrichMessage(
        Kind kind,
        String target,
        String slot,
        String parentKey,
        String childKey,
        Map<String, Object> values,
        long lsn,
        long commitMillis,
        String correlationId) {

    public enum Kind {
        /** To a lookup: the parent row's projected fields ({@code values} null: the parent is gone). */
        PARENT_ROW,
        /** To a lookup: {@code childKey} now references this parent. */
        REFERENCE_ADDED,
        /** To a lookup: {@code childKey} no longer references this parent. */
        REFERENCE_REMOVED,
        /** To an aggregate: a child's values ({@code values} null: the child left). */
        CONTRIBUTION,
        /** To a document: its root row ({@code values} null: the row was deleted). */
        ROOT_ROW,
        /** To a document: the fields of the parent {@code parentKey} for lookup {@code slot}. */
        PART,
        /** To a document: the part of parent {@code parentKey} no longer applies. */
        PART_REMOVED,
        /** To a document: the results of aggregate {@code slot}. */
        AGGREGATES
    }

    public boolean toDocument() {
        return target.startsWith("D|");
    }

    public static String documentTarget(String index, String id) {
        return "D|" + index + "|" + id;
    }

    public static String lookupTarget(String index, String lookup, String parentKey) {
        return "P|L|" + index + "|" + lookup + "|" + parentKey;
    }

    public static String aggregateTarget(String index, int aggregate, String parentKey) {
        return "P|A|" + index + "|" + aggregate + "|" + parentKey;
    }

    static EnrichMessage parentRow(String target, String lookup, String parentKey, Map<String, Object> fields, Trace trace) {
        return new EnrichMessage(Kind.PARENT_ROW, target, lookup, parentKey, null, fields, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage reference(String target, boolean added, String lookup, String parentKey, String childKey, Trace trace) {
        return new EnrichMessage(added ? Kind.REFERENCE_ADDED : Kind.REFERENCE_REMOVED, target, lookup, parentKey, childKey, null,
                trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage contribution(String target, String slot, String parentKey, String childKey, Map<String, Object> values, Trace trace) {
        return new EnrichMessage(Kind.CONTRIBUTION, target, slot, parentKey, childKey, values, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage rootRow(String target, Map<String, Object> row, Trace trace) {
        return new EnrichMessage(Kind.ROOT_ROW, target, null, null, null, row, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage part(String target, String lookup, String parentKey, Map<String, Object> fields, Trace trace) {
        return new EnrichMessage(Kind.PART, target, lookup, parentKey, null, fields, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage partRemoved(String target, String lookup, String parentKey, Trace trace) {
        return new EnrichMessage(Kind.PART_REMOVED, target, lookup, parentKey, null, null, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    static EnrichMessage aggregates(String target, String slot, Map<String, Object> results, Trace trace) {
        return new EnrichMessage(Kind.AGGREGATES, target, slot, null, null, results, trace.lsn(), trace.commitMillis(), trace.correlationId());
    }

    Trace trace() {
        return new Trace(lsn, commitMillis, correlationId);
    }

    /** Where a message comes from: the source change that caused it. */
    record Trace(long lsn, long commitMillis, String correlationId) {}
}
