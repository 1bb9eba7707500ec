package io.datasync.job.types;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the job's own serializers (network and state, no Kryo): immutable values, so copies are
 * the value itself, and a binary format with a version. The version is kept in every checkpoint
 * and savepoint through {@link Snapshot}: a later build that changes a format raises
 * {@link #formatVersion()} and reads the old one in {@link #forFormat(int)}, and Flink migrates
 * the state on restore.
 */
public abstract class CompactSerializer<T> extends TypeSerializerSingleton<T> {
    /** The format this build writes; raised when {@link #write} changes (and {@link #forFormat} then reads the old one). */
    protected int formatVersion() {
        return 1;
    }

    protected abstract void write(T value, DataOutputView out) throws IOException;

    protected abstract T read(DataInputView in) throws IOException;

    /** A serializer that reads values written in {@code version}; only the current one exists so far. */
    protected CompactSerializer<T> forFormat(int version) {
        if (version != formatVersion()) {
            throw new IllegalStateException(getClass().getSimpleName() + " cannot read format " + version + " (this build has " + formatVersion() + ")");
        }
        return this;
    }

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        write(value, out);
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        write(read(in), out);
    }

    @Override
    public final Snapshot<T> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    /**
     * Records which serializer and which of its format versions wrote a state: the serializer's
     * class (it has a public no-argument constructor) and {@link #formatVersion()}. On restore the
     * current build's serializer is asked for a reader of that format ({@link #forFormat(int)}).
     */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private static final int LAYOUT = 1;

        private CompactSerializer<T> serializer;
        private int writtenFormat;

        /** For Flink, on restore. */
        public Snapshot() {}

        Snapshot(CompactSerializer<T> serializer) {
            this.serializer = serializer;
            this.writtenFormat = serializer.formatVersion();
        }

        @Override
        public int getCurrentVersion() {
            return LAYOUT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializer.getClass().getName());
            out.writeInt(writtenFormat);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int layout, DataInputView in, ClassLoader classLoader) throws IOException {
            if (layout != LAYOUT) {
                throw new IOException("unknown layout " + layout + " of a CompactSerializer snapshot");
            }
            String className = in.readUTF();
            writtenFormat = in.readInt();
            try {
                serializer = (CompactSerializer<T>) Class.forName(className, true, classLoader).getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IOException("the serializer " + className + " of a restored state is not in this build", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return serializer.forFormat(writtenFormat);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot<T> old) || old.serializer.getClass() != serializer.getClass()) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            if (old.writtenFormat == writtenFormat) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return old.writtenFormat < writtenFormat ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
