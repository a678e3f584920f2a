package com.example.m2m.security.dpop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.shared.RedisStore;

import io.smallrye.mutiny.Uni;

/**
 * The replay check across pods, with {@code REDIS_URL}: a proof that this pod's {@link ReplayCache} saw first is also
 * recorded in Redis ({@code SET key NX PX}: atomic, so of two pods that get the same proof at once, one wins), and
 * refused if another pod recorded it already. The entry lives as long as the proof is acceptable. Without Redis, or
 * while it is out of reach, the pod's own check is the answer ({@link RedisStore#call}): a proof replayed to another
 * pod within the window is then only caught by that pod's own memory.
 */
@ApplicationScoped
public class SharedReplays {

    static final String KEY_PREFIX = RedisStore.KEY_PREFIX + "dpop:";

    @Inject
    RedisStore redis;

    /** Whether proofs are also checked against the other pods' (REDIS_URL is set). */
    public boolean shared() {
        return redis.configured();
    }

    /**
     * Whether no other pod has seen this proof ({@code replayKey}, see {@link DpopProofs.Checked}); records it until
     * {@code acceptedUntilMillis}. True when Redis cannot be asked: this pod's check already passed.
     */
    public Uni<Boolean> firstUse(String replayKey, long acceptedUntilMillis, long nowMillis) {
        String ttl = Long.toString(Math.max(1_000, acceptedUntilMillis - nowMillis));
        return redis.call(store -> store.execute("SET", KEY_PREFIX + replayKey, "1", "NX", "PX", ttl)
                .map(answer -> answer != null), () -> Boolean.TRUE);
    }
}
