package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ModelRelease;
import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GateHoldoutTest {

    /** 120 users; the first 70 acted last at time 1000 + user, the rest at 10 + user. */
    private static Interactions interactions() {
        Interactions.Builder builder = new Interactions.Builder(120, 50, 120 * 3);
        for (int user = 1; user <= 120; user++) {
            builder.add(user, 1, 1);
            builder.add(user, 2, 2);
            builder.add(user, 3, user <= 70 ? 1000 + user : 10 + user);
        }
        return builder.build();
    }

    private static ModelRelease servingTrainedUntil(long time) {
        return ModelRelease.newBuilder().setName("default").setVersion(1).setVariant("neumf")
                .setCreatedAt(Instant.EPOCH).setSha256("00").setHistoryLength(1)
                .setItemVocabulary(List.of("a")).setProvenance(Map.of(RefitRun.DATA_MAX_EVENT_TIME, Long.toString(time)))
                .build();
    }

    @Test
    void onlyUsersWhoActedAfterTheServingModelsDataAreCompared() {
        Interactions all = interactions();
        Split split = Splits.leaveLastOut(all, 5, 1);
        GateHoldout gate = RefitRun.gateHoldout(all, split.heldOut(), Optional.of(servingTrainedUntil(500)));
        assertThat(gate.fresh()).isTrue();
        assertThat(gate.heldOut().usersWithTargets()).isEqualTo(70);
        assertThat(gate.heldOut().targetCount(71)).isZero();
        assertThat(gate.heldOut().negativesOf(1)).containsExactly(split.heldOut().negativesOf(1));
    }

    @Test
    void tooFewFreshUsersOrNoServingModelUseTheWholeHoldout() {
        Interactions all = interactions();
        HeldOut heldOut = Splits.leaveLastOut(all, 5, 1).heldOut();
        assertThat(RefitRun.gateHoldout(all, heldOut, Optional.of(servingTrainedUntil(1_060))).fresh()).isFalse();
        assertThat(RefitRun.gateHoldout(all, heldOut, Optional.empty()).heldOut()).isSameAs(heldOut);
    }
}
