package io.datasync.job.source;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitSerializer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka offsets a job restored from a checkpoint or savepoint resumes at: the splits its source
 * readers stored, read from the snapshot's metadata before the job is submitted (the source's
 * state is a few bytes per partition, kept inside {@code _metadata} or beside it).
 */
public final class RestoredOffsets {
    /** The list state in which Flink's {@code SourceOperator} keeps its readers' splits, each in its serializer's versioned form. */
    static final String SOURCE_READER_STATE = "SourceReaderState";

    private RestoredOffsets() {}

    /** Offset of the next record to read per partition; a partition the snapshot does not name is read from its start. */
    public static Map<TopicPartition, Long> read(String pointer) throws IOException {
        CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(pointer);
        CheckpointMetadata metadata;
        try (DataInputStream in = new DataInputStream(location.getMetadataHandle().openInputStream())) {
            metadata = Checkpoints.loadCheckpointMetadata(in, RestoredOffsets.class.getClassLoader(), location.getExternalPointer());
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        KafkaPartitionSplitSerializer splits = new KafkaPartitionSplitSerializer();
        for (OperatorState operator : metadata.getOperatorStates()) {
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                    OperatorStateHandle.StateMetaInfo readerState = handle.getStateNameToPartitionOffsets().get(SOURCE_READER_STATE);
                    if (readerState == null) {
                        continue;
                    }
                    try (FSDataInputStream in = handle.openInputStream()) {
                        DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
                        for (long at : readerState.getOffsets()) {
                            in.seek(at);
                            byte[] serialized = BytePrimitiveArraySerializer.INSTANCE.deserialize(view);
                            KafkaPartitionSplit split = SimpleVersionedSerialization.readVersionAndDeSerialize(splits, serialized);
                            offsets.put(split.getTopicPartition(), split.getStartingOffset());
                        }
                    }
                }
            }
        }
        return offsets;
    }
}
