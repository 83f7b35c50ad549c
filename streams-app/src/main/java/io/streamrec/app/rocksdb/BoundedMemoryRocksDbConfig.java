package io.streamrec.app.rocksdb;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/**
 * Points every RocksDB store at the instance's {@link SharedRocksDbMemory}: block cache (with index and filter
 * blocks in it, pinned at the top level) and write-buffer manager. Kafka Streams instantiates this class by
 * name ({@code rocksdb.config.setter}); the shared memory object comes through the Streams configuration.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object shared = configs.get(SharedRocksDbMemory.CONFIG_KEY);
        if (!(shared instanceof SharedRocksDbMemory memory)) {
            throw new ConfigException(SharedRocksDbMemory.CONFIG_KEY, shared,
                    "the streams app must pass its SharedRocksDbMemory in the Streams configuration");
        }
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memory.writeBufferManager());
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared: the app closes them once, after Kafka Streams.
    }
}
