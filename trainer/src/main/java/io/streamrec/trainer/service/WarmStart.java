package io.streamrec.trainer.service;

import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import io.streamrec.trainer.model.Variant;
import io.streamrec.trainer.release.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters of the model this trainer published last, so the next refit can start from them instead of
 * from scratch: only when the serving release is still that model (same SHA-256; a republished or foreign
 * release is not) and the architecture is unchanged. Users and items the two vocabularies share keep their
 * learned rows; newcomers start fresh.
 *
 * <p>One checkpoint per variant: with {@code model.variant=auto} every candidate of a refit that published is
 * remembered against the release it published, so each candidate starts the next refit from its own last
 * parameters, whichever of them won.
 *
 * <p>Kept in memory and, when a directory is given, in a checkpoint file per variant there too (written
 * atomically), so a restarted service, or a {@code trainer once} run per CronJob, still starts warm. A checkpoint
 * that cannot be read is logged and ignored: the refit trains from scratch.
 *
 * <p>Thread-safe: one map of references, each replaced whole; the remembered models are private copies.
 */
final class WarmStart {

    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);

    /** The checkpoint file of {@code variant} in the directory. */
    static String fileName(Variant variant) {
        return "warm-start-" + variant.label() + ".bin";
    }
    private static final int MAGIC = 0x53524b32; // "SRK2": SRK1 lacked the attention query

    private record Checkpoint(NcfModel model, Vocabulary users, Vocabulary items, String sha256) { }

    private final Optional<Path> directory;
    private final java.util.concurrent.ConcurrentMap<Variant, AtomicReference<Checkpoint>> last =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** In memory only. */
    WarmStart() {
        this(Optional.empty());
    }

    /** @param directory where the checkpoint file lives (created when needed), or empty for memory only */
    WarmStart(Optional<Path> directory) {
        this.directory = directory;
    }

    /** Remembers a published model (copied: the caller may go on changing its own), and writes the checkpoint. */
    void remember(NcfModel model, Vocabulary users, Vocabulary items, String releaseSha256) {
        Checkpoint checkpoint = new Checkpoint(model.copy(), users, items, releaseSha256);
        slot(model.config().variant()).set(checkpoint);
        directory.ifPresent(dir -> {
            try {
                write(checkpoint, dir);
            } catch (IOException e) {
                log.warn("event=warm_start_write_failed dir={} error=\"{}\"", dir, e.getMessage());
            }
        });
    }

    /**
     * A model for these vocabularies that starts from the remembered one (or the checkpoint file's), or empty
     * when it may not: nothing remembered, no serving release, a serving release (by graph SHA-256) other than
     * the remembered one, or another configuration.
     */
    Optional<NcfModel> modelFor(ModelConfig config, Optional<String> servingSha256, Vocabulary users,
                                Vocabulary items) {
        AtomicReference<Checkpoint> slot = slot(config.variant());
        Checkpoint checkpoint = slot.get();
        if (checkpoint == null && directory.isPresent()) {
            checkpoint = read(directory.get().resolve(fileName(config.variant()))).orElse(null);
            if (checkpoint != null) {
                slot.compareAndSet(null, checkpoint);
            }
        }
        if (checkpoint == null || servingSha256.isEmpty() || !servingSha256.get().equals(checkpoint.sha256())
                || !checkpoint.model().config().equals(config)) {
            return Optional.empty();
        }
        return Optional.of(NcfModel.warmStarted(checkpoint.model(), users.size(), indexMap(users, checkpoint.users()),
                items.size(), indexMap(items, checkpoint.items())));
    }

    private AtomicReference<Checkpoint> slot(Variant variant) {
        return last.computeIfAbsent(variant, v -> new AtomicReference<>());
    }

    /** For each index of {@code now}, the index of the same id in {@code before} (0 when it is new). */
    private static int[] indexMap(Vocabulary now, Vocabulary before) {
        int[] map = new int[now.size() + 1];
        for (int index = 1; index <= now.size(); index++) {
            map[index] = before.indexOf(now.id(index));
        }
        return map;
    }

    private static void write(Checkpoint checkpoint, Path dir) throws IOException {
        Files.createDirectories(dir);
        String fileName = fileName(checkpoint.model().config().variant());
        Path temporary = Files.createTempFile(dir, fileName, ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(temporary)))) {
                ModelConfig config = checkpoint.model().config();
                out.writeInt(MAGIC);
                out.writeUTF(checkpoint.sha256());
                out.writeUTF(config.variant().label());
                out.writeInt(config.gmfFactors());
                out.writeInt(config.mlpLayers().size());
                for (int width : config.mlpLayers()) {
                    out.writeInt(width);
                }
                out.writeInt(config.historyLength());
                out.writeBoolean(config.userEmbedding());
                out.writeDouble(config.initStd());
                out.writeLong(config.seed());
                out.writeUTF(config.attentionQuery().label());
                writeIds(out, checkpoint.users());
                writeIds(out, checkpoint.items());
                Parameters parameters = checkpoint.model().parameters();
                writeRows(out, parameters.users());
                writeRows(out, parameters.items());
                writeRows(out, parameters.history());
                writeFloats(out, parameters.dense());
            }
            AtomicFiles.moveIntoPlace(temporary, dir.resolve(fileName));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Optional<Checkpoint> read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a warm-start checkpoint");
            }
            String sha256 = in.readUTF();
            Variant variant = Variant.parse(in.readUTF());
            int factors = in.readInt();
            List<Integer> layers = new ArrayList<>();
            for (int count = in.readInt(), i = 0; i < count; i++) {
                layers.add(in.readInt());
            }
            ModelConfig config = new ModelConfig(variant, factors, layers, in.readInt(), in.readBoolean(),
                    in.readDouble(), in.readLong(), AttentionQuery.parse(in.readUTF()));
            Vocabulary users = readIds(in);
            Vocabulary items = readIds(in);
            NcfModel model = NcfModel.create(config, users.size(), items.size());
            Parameters parameters = model.parameters();
            readRows(in, parameters.users());
            readRows(in, parameters.items());
            readRows(in, parameters.history());
            readFloats(in, parameters.dense());
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            log.info("event=warm_start_loaded file={} users={} items={}", file, users.size(), items.size());
            return Optional.of(new Checkpoint(model, users, items, sha256));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("event=warm_start_unreadable file={} error=\"{}\" note=\"training from scratch\"", file,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return Optional.empty();
        }
    }

    private static void writeIds(DataOutputStream out, Vocabulary vocabulary) throws IOException {
        out.writeInt(vocabulary.size());
        for (String id : vocabulary.ids()) {
            out.writeUTF(id);
        }
    }

    private static Vocabulary readIds(DataInputStream in) throws IOException {
        int size = in.readInt();
        List<String> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add(in.readUTF());
        }
        return Vocabulary.of(ids);
    }

    /** A table's shape is implied by the model the reader creates; a null table (absent branch) writes nothing. */
    private static void writeRows(DataOutputStream out, float[][] table) throws IOException {
        if (table != null) {
            for (float[] row : table) {
                writeFloats(out, row);
            }
        }
    }

    private static void readRows(DataInputStream in, float[][] table) throws IOException {
        if (table != null) {
            for (float[] row : table) {
                readFloats(in, row);
            }
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float value : values) {
            out.writeFloat(value);
        }
    }

    private static void readFloats(DataInputStream in, float[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
    }
}
