package io.datasync.job.types;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Type information for a type with a {@link CompactSerializer}. The job's types name it through
 * {@code @TypeInfo} (a {@link Factory} subclass), so Flink's type extraction finds it wherever the
 * type appears and never falls back to Kryo.
 */
public final class CompactTypeInfo<T> extends TypeInformation<T> {
    private final Class<T> type;
    private final SerializableSupplier<? extends CompactSerializer<T>> serializer;
    private final boolean keyType;

    public CompactTypeInfo(Class<T> type, SerializableSupplier<? extends CompactSerializer<T>> serializer, boolean keyType) {
        this.type = type;
        this.serializer = serializer;
        this.keyType = keyType;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return keyType;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.get();
    }

    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return serializer.get();
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompactTypeInfo<?> info && info.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof CompactTypeInfo;
    }

    /** What {@code @TypeInfo} names: one subclass per type, with a public no-argument constructor. */
    public abstract static class Factory<T> extends TypeInfoFactory<T> {
        private final CompactTypeInfo<T> info;

        protected Factory(Class<T> type, SerializableSupplier<? extends CompactSerializer<T>> serializer, boolean keyType) {
            this.info = new CompactTypeInfo<>(type, serializer, keyType);
        }

        @Override
        public TypeInformation<T> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return info;
        }

        public CompactTypeInfo<T> info() {
            return info;
        }
    }
}
