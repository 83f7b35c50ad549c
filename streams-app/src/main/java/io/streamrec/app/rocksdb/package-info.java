/**
 * One memory bound for all of an instance's RocksDB state stores: a block cache and a write-buffer manager
 * ({@link io.streamrec.app.rocksdb.SharedRocksDbMemory}) that Kafka Streams applies to every store through
 * {@link io.streamrec.app.rocksdb.BoundedMemoryRocksDbConfig}, the {@code rocksdb.config.setter} it
 * instantiates by name.
 *
 * <p>Invariant: the shared memory is created before Kafka Streams starts and closed after it has closed;
 * {@link io.streamrec.app.StreamsApp} owns it. Internal to the streams app.
 */
package io.streamrec.app.rocksdb;
