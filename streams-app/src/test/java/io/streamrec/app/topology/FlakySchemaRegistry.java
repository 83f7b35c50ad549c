package io.streamrec.app.topology;

import io.streamrec.schemas.serde.RegisteredSchema;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A schema registry that is down for the first few schema lookups by id, then works: those lookups go to a
 * real REST client pointed at a port nobody listens on, so they fail exactly as an outage does, and the rest
 * go to a working (in-memory) registry.
 */
final class FlakySchemaRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient working;
    private final SchemaRegistryClient down;
    private final AtomicInteger failuresLeft;

    FlakySchemaRegistry(SchemaRegistryClient working, int failures) {
        this.working = working;
        this.down = RestSchemaRegistryClient.forUrl("http://127.0.0.1:" + unusedPort());
        this.failuresLeft = new AtomicInteger(failures);
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lookups that are still to fail. */
    int failuresLeft() {
        return Math.max(0, failuresLeft.get());
    }

    @Override
    public Schema schemaById(int id) {
        return failuresLeft.getAndDecrement() > 0 ? down.schemaById(id) : working.schemaById(id);
    }

    @Override
    public int register(String subject, Schema schema) {
        return working.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return working.lookup(subject, schema);
    }

    @Override
    public RegisteredSchema version(String subject, String version) {
        return working.version(subject, version);
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        return working.checkCompatibility(subject, schema);
    }

    @Override
    public String location() {
        return "flaky registry over " + working.location();
    }
}
