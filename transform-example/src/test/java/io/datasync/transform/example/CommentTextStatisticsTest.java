package io.datasync.transform.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.transform.DocumentTransformer;
import io.datasync.job.transform.TransformFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommentTextStatisticsTest {
    @Test
    void theJobFindsThePluginThroughServiceLoader() {
        List<DocumentTransformer> found = TransformFunction.discover(getClass().getClassLoader());

        assertThat(found).hasExactlyElementsOfTypes(CommentTextStatistics.class);
    }

    @Test
    void addsLengthInCodePointsAndWordCountToCommentDocuments() {
        Map<String, Object> document = new LinkedHashMap<>(Map.of("comment_id", "c1", "comment_text", "  great song 👍🏽\nagain  "));

        Map<String, Object> transformed = new CommentTextStatistics().transform("comments_index", document);

        assertThat(transformed).containsEntry("word_count", 4L).containsEntry("comment_length", 23L).containsEntry("comment_id", "c1");
    }

    @Test
    void touchesOnlyCommentDocumentsAndCopesWithoutText() {
        CommentTextStatistics statistics = new CommentTextStatistics();

        assertThat(statistics.appliesTo("videos_index")).isFalse();
        assertThat(statistics.transform("comments_index", new LinkedHashMap<>())).containsEntry("word_count", 0L).containsEntry("comment_length", 0L);
    }
}
