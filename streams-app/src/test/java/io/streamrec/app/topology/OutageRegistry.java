package io.streamrec.app.topology;

import io.streamrec.schemas.serde.RegisteredSchema;
import io.streamrec.schemas.serde.RegistryUnavailableException;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A schema registry client that can be taken down, for good ({@link #available}) or for the next few schema
 * lookups by id ({@link #failNextLookups}). While down, calls go to a real REST client aimed at a port nothing
 * listens on, so failures are the real "unreachable" ones; while up, to a working in-process registry.
 * Thread-safe.
 */
final class OutageRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient up;
    private final SchemaRegistryClient down;
    private final AtomicInteger lookupsToFail = new AtomicInteger();
    private volatile boolean available = true;

    OutageRegistry(SchemaRegistryClient up) {
        this.up = up;
        this.down = RestSchemaRegistryClient.forUrl("http://127.0.0.1:" + unusedPort());
    }

    void available(boolean value) {
        available = value;
    }

    /** The next {@code count} schema lookups by id fail (registrations and lookups by schema still work). */
    OutageRegistry failNextLookups(int count) {
        lookupsToFail.set(count);
        return this;
    }

    /** Lookups by id that are still to fail. */
    int lookupsStillFailing() {
        return Math.max(0, lookupsToFail.get());
    }

    private SchemaRegistryClient current() {
        return available ? up : down;
    }

    @Override
    public Schema schemaById(int id) {
        return lookupsToFail.getAndDecrement() > 0 ? down.schemaById(id) : current().schemaById(id);
    }

    @Override
    public int register(String subject, Schema schema) {
        return current().register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return current().lookup(subject, schema);
    }

    @Override
    public RegisteredSchema version(String subject, String version) {
        return current().version(subject, version);
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        return current().checkCompatibility(subject, schema);
    }

    @Override
    public String location() {
        return current().location();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code error} or one of its causes says the registry was unavailable. */
    static boolean causedByOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
