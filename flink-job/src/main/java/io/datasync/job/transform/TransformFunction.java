package io.datasync.job.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.sink.DocumentWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every {@link DocumentTransformer} on the classpath to each document written. A document
 * no plug-in touches passes as it is; one that a plug-in touches is read into a fresh map of its
 * own (the plug-in may keep it) and written again.
 */
public final class TransformFunction extends RichMapFunction<DocumentWrite, DocumentWrite> {
    private static final Logger LOG = LoggerFactory.getLogger(TransformFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT = new TypeReference<>() {};

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
        if (write.isDelete() || transformers.stream().noneMatch(t -> t.appliesTo(write.alias()))) {
            return write;
        }
        Map<String, Object> document = read(write.source());
        for (DocumentTransformer transformer : transformers) {
            if (transformer.appliesTo(write.alias())) {
                document = transformer.transform(write.alias(), document);
            }
        }
        try {
            return new DocumentWrite(write.alias(), write.index(), write.id(), JSON.writeValueAsBytes(document), write.version(), write.commitMillis(),
                    write.correlationId());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a document transformer returned a document that cannot be written as JSON; correlationId="
                    + write.correlationId(), e);
        }
    }

    static Map<String, Object> read(byte[] source) {
        try {
            return JSON.readValue(source, DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException("a document is not valid JSON", e);
        }
    }
}
