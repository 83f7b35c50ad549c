package io.streamrec.trainer.data;

/**
 * Interactions with their vocabularies, before any train/test split.
 *
 * @param name         human-readable name used in reports
 * @param users        user vocabulary (index 1..U)
 * @param items        item vocabulary (index 1..N)
 * @param interactions all interactions, time-ordered per user
 */
public record Corpus(String name, Vocabulary users, Vocabulary items, Interactions interactions) {}
