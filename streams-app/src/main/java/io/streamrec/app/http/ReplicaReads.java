package io.streamrec.app.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers from a copy of a user's partition other than the active task's, within the request's lag bound
 * (KIP-535's stale reads): when the active copy cannot answer ({@link KeyRouter}), the standby hosts Kafka
 * Streams names for the partition are tried in turn (this instance's own copy first, as it costs no hop),
 * then the active host's own restoring copy if it is reachable. A copy answers only if its changelog offset lag
 * ({@link KeyRouter.KeyOwners#localLag}, a recent reading) is within the bound; the answer carries
 * {@link Freshness}.
 *
 * <p>Another instance's copy is asked with {@value Forwarder#STALE_WITHIN}: it answers from its own copy, active
 * or stale, or says it cannot, and never asks a third instance ({@link #answerHere}).
 *
 * <p>Thread-safe: no state besides its collaborators, which are.
 */
final class ReplicaReads {

    /**
     * A copy to try.
     *
     * @param host  the instance that holds it
     * @param role  standby, or restoring for the active host's own copy
     * @param local whether {@code host} is this instance
     */
    record Candidate(HostInfo host, ServedFrom role, boolean local) { }

    private final KeyRouter.KeyOwners owners;
    private final HostInfo self;
    private final CopyAccess copies;

    ReplicaReads(KeyRouter.KeyOwners owners, HostInfo self, CopyAccess copies) {
        this.owners = owners;
        this.self = self;
        this.copies = copies;
    }

    /**
     * The copies to try once the active one missed, best first: this instance's (restoring when it is the active
     * host, else a standby), then the other standby hosts in {@code host:port} order, then the active host when
     * it answered but could not serve from its active copy (it may hold a restoring copy within the bound).
     *
     * @param activeReachable whether the active host answered (with a 503 marked unavailable)
     */
    static List<Candidate> candidates(KeyQueryMetadata metadata, HostInfo self, boolean activeReachable) {
        HostInfo active = metadata.activeHost();
        boolean activeKnown = active != null && !HostInfo.unavailable().equals(active);
        List<Candidate> candidates = new ArrayList<>();
        if (self.equals(active)) {
            candidates.add(new Candidate(self, ServedFrom.RESTORING, true));
        } else if (metadata.standbyHosts().contains(self)) {
            candidates.add(new Candidate(self, ServedFrom.STANDBY, true));
        }
        metadata.standbyHosts().stream()
                .filter(host -> !host.equals(self) && !host.equals(active))
                .sorted(Comparator.comparing(Forwarder::hostPort))
                .forEach(host -> candidates.add(new Candidate(host, ServedFrom.STANDBY, false)));
        if (activeKnown && activeReachable && !self.equals(active)) {
            candidates.add(new Candidate(active, ServedFrom.RESTORING, false));
        }
        return List.copyOf(candidates);
    }

    /**
     * The answer from a stale copy after the active one missed; when none answers, the active copy's miss,
     * whose detail tells why each candidate did not answer.
     */
    Attempt fromReplicas(KeyRouter.Query query, KeyQueryMetadata metadata, KeyRouter.LocalAnswer local,
                         Attempt.Miss activeMiss) {
        // A host that says it owns the partition but cannot answer from it may hold a restoring copy; one that says
        // it is not the owner (metadata in flux) is not asked again.
        boolean activeReachable = activeMiss.reason().equals("owner-unavailable");
        List<String> misses = new ArrayList<>();
        for (Candidate candidate : candidates(metadata, self, activeReachable)) {
            Attempt attempt = candidate.local()
                    ? fromCopyHere(query, metadata.partition(), candidate.role(), local)
                    : copies.ask(candidate.host(), query.rawPathAndQuery(), query.deadlineNanos(),
                            OptionalLong.of(query.maxLagRecords()));
            if (attempt.isAnswered()) {
                return attempt;
            }
            misses.add(candidate.role().tag() + " " + Forwarder.hostPort(candidate.host()) + ": "
                    + attempt.miss().detail());
        }
        String tried = misses.isEmpty() ? "no standby copy is known either"
                : "no copy within " + query.maxLagRecords() + " records answered either (" + String.join("; ", misses)
                        + ")";
        return Attempt.missed(activeMiss.reason(), activeMiss.detail() + "; " + tried, activeMiss.retriable());
    }

    /**
     * The answer to a request another instance forwarded for this instance's own copy: the active copy if it is
     * here and answers, else this instance's stale copy within the bound; never another instance's.
     */
    Attempt answerHere(KeyRouter.Query query, KeyQueryMetadata metadata, KeyRouter.LocalAnswer local) {
        int partition = metadata.partition();
        boolean activeHere = self.equals(metadata.activeHost());
        if (activeHere) {
            Attempt active = copies.readHere(local, partition, Freshness.ACTIVE);
            if (active.isAnswered()) {
                return active;
            }
        }
        return fromCopyHere(query, partition, activeHere ? ServedFrom.RESTORING : ServedFrom.STANDBY, local);
    }

    private Attempt fromCopyHere(KeyRouter.Query query, int partition, ServedFrom role, KeyRouter.LocalAnswer local) {
        OptionalLong lag = owners.localLag(query.store(), partition);
        if (lag.isEmpty()) {
            return Attempt.missed("no-local-copy", "no copy of partition " + partition
                    + " here whose lag is known", true);
        }
        if (lag.getAsLong() > query.maxLagRecords()) {
            return Attempt.missed("lag-exceeded", "the " + role.tag() + " copy of partition " + partition
                    + " here trails by " + lag.getAsLong() + " records, more than " + query.maxLagRecords(), true);
        }
        return copies.readHere(local, partition, new Freshness(role, lag.getAsLong()));
    }
}
