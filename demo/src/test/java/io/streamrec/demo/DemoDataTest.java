package io.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.demo.data.DemoData;
import io.streamrec.demo.load.ClickSource;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    private static Corpus corpus() {
        Interactions.Builder builder = new Interactions.Builder(3, 10, 20);
        for (int position = 0; position < 10; position++) {
            builder.add(1, 1 + position, position);
        }
        for (int position = 0; position < 4; position++) {
            builder.add(2, 10 - position, position);
        }
        builder.add(3, 5, 0);
        return new Corpus("test", Vocabulary.sequential("u", 3), Vocabulary.sequential("i", 10), builder.build());
    }

    @Test
    void theNewestShareOfEachSequenceIsReplayedInOrderAndTheRestSeeds() {
        DemoData data = new DemoData(corpus(), 0.5, 7);
        assertThat(data.seedLength(1)).isEqualTo(5);
        assertThat(data.seedLength(2)).isEqualTo(2);
        assertThat(data.seedLength(3)).isEqualTo(1);
        assertThat(data.seedSize() + data.replaySize()).isEqualTo(15);

        List<String> seeded = new ArrayList<>();
        data.forEachSeed((user, item, position) -> seeded.add(user + ":" + item + "@" + position));
        assertThat(seeded).containsExactly("1:1@0", "1:2@1", "1:3@2", "1:4@3", "1:5@4", "2:10@0", "2:9@1", "3:5@0");

        Map<String, List<String>> replayed = new HashMap<>();
        ClickSource source = data.replay();
        for (Optional<ClickSource.Click> click = source.next(); click.isPresent(); click = source.next()) {
            replayed.computeIfAbsent(click.get().userId(), user -> new ArrayList<>()).add(click.get().itemId());
        }
        assertThat(replayed.get("u1")).containsExactly("i6", "i7", "i8", "i9", "i10");
        assertThat(replayed.get("u2")).containsExactly("i8", "i7");
        assertThat(replayed).doesNotContainKey("u3");
    }
}
