package io.datasync.job.transform;

import io.datasync.job.enrich.DocumentWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies every {@link DocumentTransformer} on the classpath to each document written. */
public final class TransformFunction extends RichMapFunction<DocumentWrite, DocumentWrite> {
    private static final Logger LOG = LoggerFactory.getLogger(TransformFunction.class);

    private transient List<DocumentTransformer> transformers;

    @Override
    public void open(OpenContext context) {
        transformers = discover(getRuntimeContext().getUserCodeClassLoader());
        transformers.forEach(t -> LOG.info("document transformer {} ({}) is active", t.name(), t.getClass().getName()));
    }

    public static List<DocumentTransformer> discover(ClassLoader classLoader) {
        List<DocumentTransformer> found = new ArrayList<>();
        ServiceLoader.load(DocumentTransformer.class, classLoader).forEach(found::add);
        return found;
    }

    @Override
    public DocumentWrite map(DocumentWrite write) {
        return apply(transformers, write);
    }

    static DocumentWrite apply(List<DocumentTransformer> transformers, DocumentWrite write) {
        if (write.isDelete() || transformers.isEmpty()) {
            return write;
        }
        String alias = aliasOf(write.index());
        Map<String, Object> document = new LinkedHashMap<>(write.document());
        for (DocumentTransformer transformer : transformers) {
            if (transformer.appliesTo(alias)) {
                document = transformer.transform(alias, document);
            }
        }
        return new DocumentWrite(write.index(), write.id(), document, write.version(), write.commitMillis(), write.correlationId());
    }

    /** comments_index_v1 → comments_index. */
    static String aliasOf(String concreteIndex) {
        return concreteIndex.replaceFirst("_v\\d+$", "");
    }
}
