package io.datasync.job.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.sink.DocumentWrite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformFunctionTest {
    private static final long VERSION = (7L << 32) | 3;
    private static final long COMMIT = 1_700_000_000_000L;

    /** Upper-cases the comment text of comments_index documents. */
    static final class ShoutingComments implements DocumentTransformer {
        @Override
        public String name() {
            return "shouting-comments";
        }

        @Override
        public boolean appliesTo(String index) {
            return "comments_index".equals(index);
        }

        @Override
        public Map<String, Object> transform(String index, Map<String, Object> document) {
            document.put("comment_text", ((String) document.get("comment_text")).toUpperCase());
            document.put("transformed_for", index);
            return document;
        }
    }

    private static final List<DocumentTransformer> TRANSFORMERS = List.of(new ShoutingComments());

    private static Map<String, Object> commentDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("comment_id", "c-1");
        document.put("comment_text", "first!");
        return document;
    }

    /** A write to the concrete index {@code <alias>_v1}; a null document is a delete. */
    private static DocumentWrite write(String alias, Map<String, Object> document) {
        byte[] source = document == null ? null : io.datasync.job.types.Row.of(document).json();
        return new DocumentWrite(alias, alias + "_v1", "c-1", source, VERSION, COMMIT, "comments:c-1@500");
    }

    private static Map<String, Object> documentOf(DocumentWrite write) {
        return TransformFunction.read(write.source());
    }

    @Test
    void aTransformerChangesTheDocumentsOfItsIndex() {
        DocumentWrite transformed = TransformFunction.apply(TRANSFORMERS, write("comments_index", commentDocument()));

        assertThat(documentOf(transformed))
                .containsEntry("comment_text", "FIRST!")
                .containsEntry("transformed_for", "comments_index")
                .containsEntry("comment_id", "c-1");
    }

    @Test
    void aTransformedWriteKeepsItsAddressVersionAndTrace() {
        DocumentWrite transformed = TransformFunction.apply(TRANSFORMERS, write("comments_index", commentDocument()));

        assertThat(transformed.index()).isEqualTo("comments_index_v1");
        assertThat(transformed.alias()).isEqualTo("comments_index");
        assertThat(transformed.id()).isEqualTo("c-1");
        assertThat(transformed.version()).isEqualTo(VERSION);
        assertThat(transformed.commitMillis()).isEqualTo(COMMIT);
        assertThat(transformed.correlationId()).isEqualTo("comments:c-1@500");
    }

    @Test
    void theIncomingWriteIsNotModified() {
        DocumentWrite write = write("comments_index", commentDocument());

        TransformFunction.apply(TRANSFORMERS, write);

        assertThat(documentOf(write)).isEqualTo(commentDocument());
    }

    @Test
    void documentsOfOtherIndexesAreUntouched() {
        DocumentWrite other = write("videos_index", commentDocument());

        DocumentWrite result = TransformFunction.apply(TRANSFORMERS, other);

        assertThat(result).isSameAs(other);
        assertThat(result.index()).isEqualTo("videos_index_v1");
    }

    @Test
    void deletesPassBy() {
        DocumentWrite delete = write("comments_index", null);

        assertThat(TransformFunction.apply(TRANSFORMERS, delete)).isSameAs(delete);
    }

    @Test
    void withoutTransformersTheWritePassesBy() {
        DocumentWrite write = write("comments_index", commentDocument());

        assertThat(TransformFunction.apply(List.of(), write)).isSameAs(write);
    }

    @Test
    void noTransformerIsRegisteredByDefault() {
        assertThat(TransformFunction.discover(getClass().getClassLoader())).isEmpty();
    }
}
