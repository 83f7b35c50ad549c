package io.streamrec.app.retrieval;

import java.util.function.IntPredicate;
import org.apache.lucene.util.Bits;

/**
 * The ordinals (Lucene's node or document ids, model index - 1) a search may return: every one whose item
 * {@code excluded} does not accept. Lucene asks it during the search, so exclusions cost nothing that grows with
 * the catalogue.
 */
record AcceptedItems(int length, IntPredicate excluded) implements Bits {

    @Override
    public boolean get(int ordinal) {
        return !excluded.test(ordinal + 1);
    }
}
