package io.streamrec.schemas.topics;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code provision-topics}: creates or corrects the catalog's topics on a cluster, prints what it did, and
 * exits non-zero when a topic could not be brought in line. Used by the docker compose one-shot service and
 * the Kubernetes Job.
 *
 * <pre>
 * provision-topics --bootstrap-server HOST:PORT [--replication-factor N] [--partitions N]
 *                  [--command-config client.properties] [--timeout-seconds N]
 * </pre>
 *
 * Environment fallbacks: {@code STREAMREC_BOOTSTRAP_SERVERS}, {@code STREAMREC_TOPICS_REPLICATION_FACTOR},
 * {@code STREAMREC_TOPICS_PARTITIONS}.
 */
public final class ProvisionTopicsCommand {

    private ProvisionTopicsCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args) {
        String bootstrap = System.getenv("STREAMREC_BOOTSTRAP_SERVERS");
        String replication = System.getenv("STREAMREC_TOPICS_REPLICATION_FACTOR");
        String partitions = System.getenv("STREAMREC_TOPICS_PARTITIONS");
        Path commandConfig = null;
        long timeoutSeconds = 60;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage());
                return 0;
            }
            if (i + 1 >= args.length) {
                System.err.println("provision-topics: " + arg + " needs a value\n" + usage());
                return 2;
            }
            String value = args[++i];
            switch (arg) {
                case "--bootstrap-server" -> bootstrap = value;
                case "--replication-factor" -> replication = value;
                case "--partitions" -> partitions = value;
                case "--command-config" -> commandConfig = Path.of(value);
                case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(value);
                default -> {
                    System.err.println("provision-topics: unknown option " + arg + "\n" + usage());
                    return 2;
                }
            }
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            System.err.println("provision-topics: --bootstrap-server (or STREAMREC_BOOTSTRAP_SERVERS) is required\n"
                    + usage());
            return 2;
        }
        TopicCatalog catalog = TopicCatalog.standard();
        if (replication != null && !replication.isBlank()) {
            catalog = catalog.withReplicationFactor(Short.parseShort(replication.trim()));
        }
        if (partitions != null && !partitions.isBlank()) {
            catalog = catalog.withPartitions(Integer.parseInt(partitions.trim()));
        }

        Properties client = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                client.load(reader);
            } catch (IOException e) {
                System.err.println("provision-topics: cannot read " + commandConfig + ": " + e.getMessage());
                return 2;
            }
        }
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Without this an unreachable cluster keeps the command (and Admin.close) waiting a full minute.
        client.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutSeconds * 1000));
        client.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutSeconds * 1000));
        Admin admin;
        try {
            admin = Admin.create(client);
        } catch (RuntimeException e) {
            System.err.println("provision-topics: cannot create the admin client: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return 2;
        }
        try {
            TopicProvisioner.Report report = new TopicProvisioner(admin, Duration.ofSeconds(timeoutSeconds))
                    .provision(catalog);
            report.created().forEach(topic -> System.out.println("created      " + topic));
            report.reconfigured().forEach(topic -> System.out.println("reconfigured " + topic));
            report.unchanged().forEach(topic -> System.out.println("unchanged    " + topic));
            report.problems().forEach(problem -> System.err.println("PROBLEM      " + problem));
            return report.ok() ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("provision-topics: " + e.getMessage());
            return 1;
        } finally {
            admin.close(Duration.ofSeconds(timeoutSeconds));
        }
    }

    private static String usage() {
        return "usage: provision-topics --bootstrap-server HOST:PORT [--replication-factor N] [--partitions N]"
                + " [--command-config client.properties] [--timeout-seconds N]";
    }
}
