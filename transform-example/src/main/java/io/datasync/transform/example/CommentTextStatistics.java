package io.datasync.transform.example;

import io.datasync.job.transform.DocumentTransformer;
import java.util.Map;

/**
 * Adds {@code comment_length} (in code points, so an emoji counts once) and {@code word_count}
 * to comment documents, for range queries and sorting that text fields cannot serve. Pure and
 * deterministic, as the SPI requires: a replay writes the same document.
 */
public final class CommentTextStatistics implements DocumentTransformer {
    static final String INDEX = "comments_index";

    @Override
    public String name() {
        return "comment-text-statistics";
    }

    @Override
    public boolean appliesTo(String index) {
        return INDEX.equals(index);
    }

    @Override
    public Map<String, Object> transform(String index, Map<String, Object> document) {
        Object text = document.get("comment_text");
        String comment = text == null ? "" : text.toString();
        document.put("comment_length", (long) comment.codePointCount(0, comment.length()));
        document.put("word_count", (long) (comment.isBlank() ? 0 : comment.strip().split("\\s+").length));
        return document;
    }
}
