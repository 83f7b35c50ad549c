package io.streamrec.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps external id strings to dense model indices and back.
 *
 * <p>Index 0 is reserved for "unknown" (an unseen user) or "padding" (an empty history slot); the
 * real entries occupy indices {@code 1..size()}. This is the index convention of the ONNX release
 * contract, so the vocabulary travels with every model release.
 *
 * <p>Immutable and thread-safe.
 */
public final class Vocabulary {

    private final List<String> ids;
    private final Map<String, Integer> indexById;

    private Vocabulary(List<String> ids) {
        this.ids = Collections.unmodifiableList(new ArrayList<>(ids));
        this.indexById = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            if (indexById.put(ids.get(i), i + 1) != null) {
                throw new IllegalArgumentException("duplicate id in vocabulary: " + ids.get(i));
            }
        }
    }

    /** A vocabulary whose entry {@code k} (0-based in the list) gets model index {@code k + 1}. */
    public static Vocabulary of(List<String> idsInIndexOrder) {
        return new Vocabulary(idsInIndexOrder);
    }

    /** Vocabulary {@code prefix1..prefixN}, used by the synthetic generator. */
    public static Vocabulary sequential(String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(prefix + i);
        }
        return new Vocabulary(ids);
    }

    /** Number of real entries (the largest valid index). */
    public int size() {
        return ids.size();
    }

    /** The external id at {@code index} (1..size()). */
    public String id(int index) {
        if (index < 1 || index > ids.size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 1.." + ids.size());
        }
        return ids.get(index - 1);
    }

    /** The model index of an external id, or 0 when the id is unknown. */
    public int indexOf(String id) {
        Integer index = indexById.get(id);
        return index == null ? 0 : index;
    }

    /** External ids in index order: element {@code k} has model index {@code k + 1}. */
    public List<String> ids() {
        return ids;
    }
}
