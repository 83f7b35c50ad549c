/**
 * The retrieval stage of two-stage serving: an index over a release's item vectors that returns, for a
 * user's query vector, the few hundred items with the largest inner product, which the ranker then scores
 * through the serving signature's {@code candidates} input instead of the whole catalogue.
 * {@link io.streamrec.app.retrieval.RetrievalIndex} is the contract; {@link io.streamrec.app.retrieval.HnswIndex}
 * (Lucene's HNSW graph) and {@link io.streamrec.app.retrieval.ExactIndex} (a scan) implement it;
 * {@link io.streamrec.app.retrieval.ShippedIndex} is the HNSW graph the trainer built and shipped in the
 * release, copied onto the heap; {@link io.streamrec.app.retrieval.RetrievalSettings} says when and how an
 * index is built here.
 *
 * <p>Invariants: an index is built or loaded once, off the stream threads, from vectors it copies, and is then
 * immutable; searches are thread-safe. Results are model indices {@code 1..N} (index 0 is padding and never
 * returned), best first, never an excluded item, never one twice. On-heap only: nothing to close.
 */
package io.streamrec.app.retrieval;
