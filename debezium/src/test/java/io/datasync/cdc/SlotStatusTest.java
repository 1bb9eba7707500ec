package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotStatusTest {
    private static SlotStatus slot(String walStatus, Long safeWalBytes) {
        return new SlotStatus("dbserver_slot", true, "0/16B3748", 1024, walStatus, safeWalBytes);
    }

    @Test
    void aReservedOrExtendedSlotKeepsItsChangesAndSaysHowMuchWalIsToSpare() {
        assertThat(slot("reserved", 4L << 30).keepsChanges()).isTrue();
        assertThat(slot("reserved", 4L << 30).walAdvice()).isEqualTo("WAL reserved (4,096 MB to spare)");
        assertThat(slot("extended", 1L << 20).keepsChanges()).isTrue();
        assertThat(slot("extended", null).walAdvice()).isEqualTo("WAL extended beyond max_wal_size, still kept");
    }

    @Test
    void anUnreservedSlotIsAWarningBeforeItIsLost() {
        assertThat(slot("unreserved", -5L).keepsChanges()).isFalse();
        assertThat(slot("unreserved", -5L).walAdvice()).contains("UNRESERVED", "lost at the next checkpoint");
    }

    @Test
    void aLostSlotNamesTheRecovery() {
        assertThat(slot("lost", null).keepsChanges()).isFalse();
        assertThat(slot("lost", null).walAdvice()).contains("LOST", "make recover-slot", "make reindex");
    }
}
