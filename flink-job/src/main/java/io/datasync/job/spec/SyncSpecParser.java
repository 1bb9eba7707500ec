package io.datasync.job.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a sync spec strictly: unknown keys are rejected with the list of allowed ones, every
 * problem names its setting. {@code classpath:} paths read from the job jar.
 */
public final class SyncSpecParser {
    public static final String DEFAULT_SPEC = "classpath:sync/default-sync-spec.yaml";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private SyncSpecParser() {}

    public static SyncSpec parse(String location) {
        try (InputStream in = open(location)) {
            return YAML.readValue(in, SyncSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String allowed = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new InvalidSpecException(location + ": unknown key '" + e.getPropertyName() + "' at " + path(e) + " (allowed: " + allowed + ")", e);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException || cause instanceof org.yaml.snakeyaml.error.YAMLException) {
                throw new InvalidSpecException(location + ": not valid YAML: " + cause.getMessage(), e);
            }
            if (cause instanceof InvalidSpecException invalid) {
                throw new InvalidSpecException(location + ": " + invalid.getMessage(), e);
            }
            throw new InvalidSpecException(location + ": " + e.getOriginalMessage() + " at " + path(e), e);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(location + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidSpecException("cannot read sync spec " + location + ": " + e.getMessage(), e);
        }
    }

    /** Opens a spec-relative resource (a mapping file) from the same place as the spec. */
    public static InputStream openRelative(String specLocation, String relative) throws IOException {
        if (specLocation.startsWith("classpath:")) {
            String base = specLocation.substring("classpath:".length());
            String dir = base.contains("/") ? base.substring(0, base.lastIndexOf('/') + 1) : "";
            return open("classpath:" + dir + relative);
        }
        Path parent = Path.of(specLocation).toAbsolutePath().getParent();
        return open(parent.resolve(relative).toString());
    }

    static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            InputStream in = SyncSpecParser.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException(resource + " is not on the classpath");
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
