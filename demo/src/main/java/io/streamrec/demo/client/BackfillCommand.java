package io.streamrec.demo.client;

import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.demo.data.InteractionSeeder;
import io.streamrec.schemas.EventType;
import io.streamrec.schemas.serde.AvroSerde;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamrec backfill}: past interactions from a CSV file into the {@code interactions} topic, one record
 * per (user, item) pair as the streams app writes them ({@link CsvInteractions} reads and counts), so the
 * trainer's next refit learns from them.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Writes past interactions from a CSV file to the interactions topic, the trainer's source: one"
                + " Interaction per (user, item) pair (how often, first and last time), keyed by the pair, as the"
                + " streams app writes them. The next refit (trainer once, or the demo's) learns from them.",
                "Columns are named as in the header (or 1-based numbers with --no-header). Timestamps: epoch"
                + " seconds or milliseconds, ISO-8601 instants, local date-times (UTC) or dates; without"
                + " --timestamp-column the file's order is the time order, ending now.",
                "Exit codes: 0 written, 1 nothing written (no usable row, or the broker or registry unreachable),"
                + " 2 invalid arguments (no such file or column)."})
public final class BackfillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file (UTF-8).")
    Path csv;

    @Option(names = "--user-column", required = true, paramLabel = "COLUMN", description = "The user id column.")
    String userColumn;

    @Option(names = "--item-column", required = true, paramLabel = "COLUMN", description = "The item id column.")
    String itemColumn;

    @Option(names = "--timestamp-column", paramLabel = "COLUMN", description = "The time of each row.")
    String timestampColumn;

    @Option(names = "--no-header", description = "The first line is data; columns are 1-based numbers.")
    boolean noHeader;

    @Option(names = "--delimiter", defaultValue = ",", description = "The field delimiter: one character, or \\t"
            + " (default '${DEFAULT-VALUE}').")
    String delimiter;

    @Option(names = "--event-type", defaultValue = "click", description = "The lastEventType the records carry"
            + " (default ${DEFAULT-VALUE}).")
    String eventType;

    @Option(names = "--max-id-bytes", defaultValue = "256", description = "Rows with a longer user or item id are"
            + " skipped, as the streams app refuses such clicks (default ${DEFAULT-VALUE}).")
    int maxIdBytes;

    @Option(names = "--topic", defaultValue = "interactions", description = "The interactions topic (default"
            + " ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (EventType.fromWireName(eventType).isEmpty()) {
            err.println("streamrec backfill: unknown --event-type " + eventType + "; one of "
                    + Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", ")));
            return 2;
        }
        CsvInteractions.Result result;
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            result = CsvInteractions.read(reader, CsvInteractions.delimiter(delimiter),
                    new CsvInteractions.Columns(userColumn, itemColumn, Optional.ofNullable(timestampColumn),
                            !noHeader), maxIdBytes, Instant.now());
        } catch (IllegalArgumentException | IOException e) {
            err.println("streamrec backfill: " + csv + ": " + e.getMessage());
            return 2;
        }
        out.printf("read %,d rows of %s: %,d pairs of %,d users and %,d items%s%n", result.rows(), csv,
                result.pairs().size(), result.users(), result.items(), result.skippedRows() == 0 ? ""
                        : "; skipped " + result.skippedRows() + " " + result.skipped());
        if (result.pairs().isEmpty()) {
            err.println("streamrec backfill: no usable row, nothing written");
            return 1;
        }
        try {
            long written = write(result);
            out.printf("wrote %,d interactions to %s at %s%n", written, topic, client.bootstrapServers());
            return 0;
        } catch (KafkaException e) {
            err.println("streamrec backfill: not written to " + topic + " at " + client.bootstrapServers() + ": "
                    + e.getMessage());
            return 1;
        }
    }

    /** Sends every pair and waits until all are acknowledged; returns how many. */
    private long write(CsvInteractions.Result result) {
        Map<String, Object> config = client.clientConfig();
        try (AvroSerde<InteractionKey> keys = AvroSerde.specific(InteractionKey.class);
             AvroSerde<Interaction> values = AvroSerde.specific(Interaction.class)) {
            keys.configure(config, true);
            values.configure(config, false);
            return InteractionSeeder.send(config, keys.serializer(), values.serializer(), topic,
                    emit -> result.pairs().forEach((pair, seen) -> emit.accept(new Interaction(pair.userId(),
                            pair.itemId(), seen.count(), seen.firstSeen(), seen.lastSeen(), eventType))));
        }
    }
}
