package io.datasync.job.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions of one bulk request with one action per document: the highest version of each
 * concrete index and id. With external versions OpenSearch would apply the actions in turn and
 * end with the same document, but every index action it applies costs a parse and a Lucene write
 * (a video with its nested comments is eleven Lucene documents), so a document changed several
 * times while a bulk fills is sent once. Of equal versions the first is kept: OpenSearch refuses
 * an equal external version that comes later. {@code superseded} counts the actions left out. If
 * the newest action is rejected it is dead-lettered as before, with the document's latest state.
 */
record Coalesced(List<BulkEntry> entries, int superseded) {

    private record Document(String index, String id) {}

    static Coalesced of(List<BulkEntry> batch) {
        Map<Document, BulkEntry> newest = new LinkedHashMap<>(batch.size() * 2);
        for (BulkEntry entry : batch) {
            newest.merge(new Document(entry.index(), entry.id()), entry, (kept, later) -> later.version() > kept.version() ? later : kept);
        }
        if (newest.size() == batch.size()) {
            return new Coalesced(batch, 0);
        }
        return new Coalesced(new ArrayList<>(newest.values()), batch.size() - newest.size());
    }
}
