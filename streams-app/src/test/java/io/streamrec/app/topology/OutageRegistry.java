package io.streamrec.app.topology;

import io.streamrec.schemas.serde.RegistryUnavailableException;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.serde.RegisteredSchema;
import java.io.IOException;
import java.net.ServerSocket;
import org.apache.avro.Schema;

/**
 * A schema registry client that can be taken down: while up it answers from an in-process registry, while
 * down every call goes to a real REST client aimed at a port nothing listens on, so failures are the real
 * "unreachable" ones. Thread-safe.
 */
final class OutageRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient up;
    private final SchemaRegistryClient down;
    private volatile boolean available = true;

    OutageRegistry(SchemaRegistryClient up) {
        this.up = up;
        this.down = RestSchemaRegistryClient.forUrl("http://127.0.0.1:" + closedPort());
    }

    void available(boolean value) {
        available = value;
    }

    private SchemaRegistryClient current() {
        return available ? up : down;
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
    public Schema schemaById(int id) {
        return current().schemaById(id);
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

    /** A port that was free a moment ago, so connecting to it is refused. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
