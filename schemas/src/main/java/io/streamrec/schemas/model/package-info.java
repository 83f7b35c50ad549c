/**
 * What makes a model release fit to serve, shared by the side that makes releases (the trainer) and the side
 * that runs them (the streams app): the ONNX input and output names every variant has
 * ({@link io.streamrec.schemas.model.ServingSignature}), Ed25519 key files
 * ({@link io.streamrec.schemas.model.ReleaseKeys}), the signed bytes of a release
 * ({@link io.streamrec.schemas.model.ReleaseCanonicalForm}), signing
 * ({@link io.streamrec.schemas.model.ReleaseSigner}) and verification
 * ({@link io.streamrec.schemas.model.ReleaseVerifier}, which refuses with a
 * {@link io.streamrec.schemas.model.ReleaseRejectedException}), and the files a release may name beside its
 * graph: its vocabularies ({@link io.streamrec.schemas.model.ReleaseVocabularies}) and its retrieval index
 * ({@link io.streamrec.schemas.model.RetrievalIndexFormat}).
 *
 * <p>Invariants: the canonical form is versioned by its format tag and never changes for an existing tag,
 * since signatures already published depend on it; a release that carries a signature is always checked,
 * whatever the verifier was built to accept; every file a release names is checked against its signed SHA-256
 * before it is used. Signers and verifiers are immutable and thread-safe.
 */
package io.streamrec.schemas.model;
