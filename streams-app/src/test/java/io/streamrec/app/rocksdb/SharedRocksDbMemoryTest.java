package io.streamrec.app.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shared cache's usage, as the app's gauges read it: charged with memtables, NaN after close. */
class SharedRocksDbMemoryTest {

    @Test
    void usageCountsTheMemtablesChargedToTheCacheAndIsNaNOnceClosed() {
        SharedRocksDbMemory memory = new SharedRocksDbMemory(16L << 20, 8L << 20);
        try {
            assertThat(memory.cacheBytes()).isEqualTo(16L << 20);
            assertThat(memory.usageBytes()).isBetween(0.0, (double) (16L << 20));
            assertThat(memory.pinnedBytes()).isGreaterThanOrEqualTo(0.0);
        } finally {
            memory.close();
        }
        assertThat(memory.usageBytes()).isNaN();
        assertThat(memory.pinnedBytes()).isNaN();
    }
}
