package io.streamrec.app.rocksdb;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One block cache and one write-buffer manager shared by every RocksDB store of the instance, so the state's
 * off-heap memory has one bound however many tasks and stores there are (memtables are charged to the
 * cache). Kafka Streams reaches it through {@link BoundedMemoryRocksDbConfig}, which finds it in the Streams
 * configuration under {@link #CONFIG_KEY}.
 *
 * <p>Lifetime: create before Kafka Streams starts, close after it closed. Thread-safe (RocksDB's own).
 */
public final class SharedRocksDbMemory implements AutoCloseable {

    /** The Streams configuration key under which the app passes this object to the config setter. */
    public static final String CONFIG_KEY = "streamrec.rocksdb.shared.memory";

    static {
        RocksDB.loadLibrary();
    }

    private final long cacheBytes;
    private final Cache cache;
    private final WriteBufferManager writeBufferManager;
    private boolean closed; // guarded by this

    public SharedRocksDbMemory(long cacheBytes, long writeBufferBytes) {
        this.cacheBytes = cacheBytes;
        // A high-priority pool keeps index and filter blocks from being evicted by data blocks.
        this.cache = new LRUCache(cacheBytes, -1, false, 0.1);
        this.writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
    }

    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * Bytes the shared cache holds now: data, index and filter blocks plus the memtables charged to it, so every
     * store's off-heap RocksDB memory but iterators' pinned blocks over the bound; NaN once closed (a scrape may
     * come late).
     */
    public synchronized double usageBytes() {
        return closed ? Double.NaN : cache.getUsage();
    }

    /** Bytes of the cache's entries in use by readers (pinned, not evictable); NaN once closed. */
    public synchronized double pinnedBytes() {
        return closed ? Double.NaN : cache.getPinnedUsage();
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    @Override
    public synchronized void close() {
        closed = true;
        writeBufferManager.close();
        cache.close();
    }
}
