package io.datasync.job.decode;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A Kafka record as read, before any decoding: bytes kept so a dead letter can carry them. */
@TypeInfo(RawRecord.Info.class)
public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    public RowChange.Origin origin() {
        return new RowChange.Origin(topic, partition, offset);
    }

    public static final class Serializer extends CompactSerializer<RawRecord> {
        @Override
        protected void write(RawRecord record, DataOutputView out) throws IOException {
            Codec.writeString(record.topic, out);
            out.writeInt(record.partition);
            out.writeLong(record.offset);
            Codec.writeBytes(record.key, out);
            Codec.writeBytes(record.value, out);
        }

        @Override
        protected RawRecord read(DataInputView in) throws IOException {
            return new RawRecord(Codec.readName(in), in.readInt(), in.readLong(), Codec.readBytes(in), Codec.readBytes(in));
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<RawRecord> {
        public Info() {
            super(RawRecord.class, Serializer::new, false);
        }
    }
}
