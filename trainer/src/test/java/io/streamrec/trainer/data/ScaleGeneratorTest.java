package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The scale generator: reproducible per user, no repeats, the planted structure visible (consecutive items
 * share a topic far more often than chance, and popularity is heavy-tailed), sizes as configured, and the
 * presets and specs it is named by.
 */
class ScaleGeneratorTest {

    private static final ScaleConfig CONFIG = ScaleConfig.of(3_000, 20_000, 60_000, 7);
    private static final ScaleGenerator GENERATOR = new ScaleGenerator(CONFIG);

    @Test
    void aUsersSequenceDependsOnlyOnTheConfigAndTheUser() {
        ScaleGenerator again = new ScaleGenerator(CONFIG);
        for (int user : new int[] {1, 17, 3_000}) {
            assertThat(again.sequence(user)).containsExactly(GENERATOR.sequence(user));
        }
        assertThat(new ScaleGenerator(ScaleConfig.of(3_000, 20_000, 60_000, 8)).sequence(17))
                .isNotEqualTo(GENERATOR.sequence(17));
    }

    @Test
    void sequencesHaveNoRepeatsAndValidItems() {
        for (int user = 1; user <= 500; user++) {
            int[] sequence = GENERATOR.sequence(user);
            assertThat(sequence.length).isGreaterThanOrEqualTo(ScaleConfig.MIN_LENGTH);
            assertThat(sequence).doesNotHaveDuplicates();
            assertThat(Arrays.stream(sequence).min().orElseThrow()).isGreaterThanOrEqualTo(1);
            assertThat(Arrays.stream(sequence).max().orElseThrow()).isLessThanOrEqualTo(CONFIG.items());
        }
    }

    @Test
    void theCorpusHasTheConfiguredSizeAndPlantedStructure() {
        Corpus corpus = GENERATOR.corpus();
        Interactions interactions = corpus.interactions();
        assertThat(corpus.users().size()).isEqualTo(3_000);
        assertThat(corpus.items().size()).isEqualTo(20_000);
        assertThat((double) interactions.size()).isBetween(0.85 * 60_000, 1.15 * 60_000);

        long sameTopic = 0;
        long pairs = 0;
        long[] counts = new long[CONFIG.items() + 1];
        for (int user = 1; user <= CONFIG.users(); user++) {
            int[] items = interactions.itemsOf(user);
            for (int t = 0; t < items.length; t++) {
                counts[items[t]]++;
                if (t > 0) {
                    pairs++;
                    sameTopic += GENERATOR.topicOf(items[t]) == GENERATOR.topicOf(items[t - 1]) ? 1 : 0;
                }
            }
        }
        double chance = 1.0 / CONFIG.topics();
        assertThat((double) sameTopic / pairs).as("consecutive items in one topic").isGreaterThan(50 * chance);
        long[] sorted = Arrays.stream(counts).sorted().toArray();
        long topPercent = Arrays.stream(sorted, sorted.length - CONFIG.items() / 100, sorted.length).sum();
        assertThat((double) topPercent / interactions.size()).as("share of the 1% most popular items")
                .isGreaterThan(0.10);
        assertThat(interactions.hasTimeOrder()).isTrue();
    }

    @Test
    void presetsAndSpecsNameTheDocumentedSizes() {
        ScaleConfig preset = ScaleConfig.preset("100k");
        assertThat(preset.users()).isEqualTo(1_000_000);
        assertThat(preset.items()).isEqualTo(100_000);
        assertThat(preset.expectedInteractions()).isEqualTo(20_000_000L);
        assertThat(ScaleConfig.parse("1m").items()).isEqualTo(1_000_000);
        assertThat(ScaleConfig.parse("10:1000:200:3")).isEqualTo(ScaleConfig.of(10, 1000, 200, 3));
        assertThatThrownBy(() -> ScaleConfig.parse("huge")).hasMessageContaining("unknown scale preset");
        assertThatThrownBy(() -> ScaleConfig.parse("1:2")).hasMessageContaining("USERS:ITEMS:INTERACTIONS");
    }
}
