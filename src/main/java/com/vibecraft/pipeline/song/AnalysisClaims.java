package com.vibecraft.pipeline.song;

import com.vibecraft.pipeline.storage.Jdbc;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Who analyses which song: the claim protocol on the songs table. An instance claims a song with a
 * conditional UPDATE that writes its id and a lease, renews the leases of the songs it holds, and
 * every write of its analysis run is fenced by the claim; a song whose lease ran out (its instance
 * died) is taken over by another.
 */
public class AnalysisClaims {

    /**
     * Songs another analysis may take: never claimed (left 'uploaded' before {@code :before}), or
     * 'analyzing' under a lease that has expired (its instance died), or under this instance's own id
     * but claimed before this run started (this instance's previous life).
     */
    private static final String TAKEABLE = "((status = 'uploaded' AND updated_at < :before) OR (status = 'analyzing' "
            + "AND (analysis_lease_until IS NULL OR analysis_lease_until < :now "
            + "OR (analysis_owner = :owner AND updated_at < :startedAt))))";

    private final Jdbc jdbc;
    private final String owner;
    private final Duration lease;
    /** Songs claimed by this instance whose analysis has not ended here: the ones whose leases it renews. */
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    /** For tools and tests that work alone on a database: owner {@code local}, one-minute leases. */
    public AnalysisClaims(DataSource dataSource) {
        this(dataSource, "local", Duration.ofMinutes(1));
    }

    /**
     * @param owner this instance's id, written on the songs it claims for analysis
     * @param lease how long a claim lasts without renewal ({@link #renewLeases})
     */
    public AnalysisClaims(DataSource dataSource, String owner, Duration lease) {
        this.jdbc = new Jdbc(dataSource);
        this.owner = owner;
        this.lease = lease;
    }

    public String owner() {
        return owner;
    }

    /**
     * Claims a song for an analysis by this instance: moves it to {@code analyzing} with this
     * instance as owner and a fresh lease, unless another live claim holds it. One conditional UPDATE,
     * so of several instances (or requests) exactly one wins.
     *
     * @return false when the song is missing or already being analysed under a live lease
     */
    public boolean claimForAnalysis(UUID id) {
        OffsetDateTime now = now();
        // analysis_source and fallback_reason stay: they describe the stored analysis until a new one replaces it
        return held(id, update("UPDATE songs SET status = :analyzing, progress = 0, error = NULL, "
                + "analysis_owner = :owner, analysis_lease_until = :until, updated_at = :now "
                + "WHERE id = :id AND (status <> :analyzing OR analysis_lease_until IS NULL OR analysis_lease_until < :now)",
                Map.of("analyzing", SongStatus.ANALYZING.value(), "owner", owner, "until", now.plus(lease),
                        "now", now, "id", id)) == 1);
    }

    /**
     * Takes over a song found unfinished ({@link #findUnfinished}), if it still is: the same conditional
     * claim, so a song another instance has just claimed (or is analysing under a live lease) stays its.
     */
    public boolean takeOver(UUID id, OffsetDateTime startedAt) {
        OffsetDateTime now = now();
        Map<String, Object> p = takeable(startedAt, now);
        p.put("analyzing", SongStatus.ANALYZING.value());
        p.put("until", now.plus(lease));
        p.put("id", id);
        return held(id, update("UPDATE songs SET status = :analyzing, progress = 0, error = NULL, "
                + "analysis_owner = :owner, analysis_lease_until = :until, updated_at = :now "
                + "WHERE id = :id AND " + TAKEABLE, p) == 1);
    }

    private boolean held(UUID id, boolean claimed) {
        if (claimed) {
            held.add(id);
        }
        return claimed;
    }

    /**
     * This instance no longer works on the song (its analysis ended, well or not): the lease is not
     * renewed any more, so a song whose analysis died here (the database went away mid-way) is taken
     * up again once its lease runs out.
     */
    public void release(UUID id) {
        if (id != null) {
            held.remove(id);
        }
    }

    /** Renews the leases of the songs this instance holds (queued here or being analysed). */
    public int renewLeases() {
        int renewed = 0;
        for (UUID id : held) {
            if (update("UPDATE songs SET analysis_lease_until = :until WHERE id = :id AND analysis_owner = :owner "
                    + "AND status = :analyzing", Map.of("until", now().plus(lease), "id", id, "owner", owner,
                    "analyzing", SongStatus.ANALYZING.value())) == 1) {
                renewed++;
            } else {
                held.remove(id); // finished, failed or taken over
            }
        }
        return renewed;
    }

    /**
     * The analysis of a claimed song really starts: counts the run. Fails when the claim is no longer
     * this instance's (its lease expired and another instance took the song over).
     */
    public void beginAnalysis(UUID id) {
        if (update("UPDATE songs SET analysis_runs = analysis_runs + 1, analysis_lease_until = :until "
                + "WHERE id = :id AND status = :analyzing AND analysis_owner = :owner",
                Map.of("until", now().plus(lease), "id", id, "analyzing", SongStatus.ANALYZING.value(),
                        "owner", owner)) != 1) {
            throw new ClaimLostException(id, owner);
        }
    }

    public void updateProgress(UUID id, int progress) {
        update("UPDATE songs SET progress = :progress, updated_at = :now WHERE id = :id AND status = :analyzing "
                + "AND analysis_owner = :owner", Map.of("progress", Math.max(0, Math.min(100, progress)), "now", now(),
                "id", id, "analyzing", SongStatus.ANALYZING.value(), "owner", owner));
    }

    /** Marks this instance's analysis of the song failed; a song another instance has taken over stays its. */
    public void markFailed(UUID id, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("failed", SongStatus.FAILED.value());
        p.put("error", Jdbc.fit(error, 2000));
        p.put("now", now());
        p.put("id", id);
        p.put("analyzing", SongStatus.ANALYZING.value());
        p.put("owner", owner);
        update("UPDATE songs SET status = :failed, error = :error, analysis_lease_until = NULL, updated_at = :now "
                + "WHERE id = :id AND status = :analyzing AND analysis_owner = :owner", p);
    }

    /**
     * Songs a crash or restart left behind: never claimed and last touched before this run started (or
     * longer ago than a lease), or caught mid-analysis by an instance whose lease has expired. Each must
     * still be taken with {@link #takeOver}: another instance may be quicker.
     */
    public List<UUID> findUnfinished(OffsetDateTime startedAt) {
        return jdbc.query("SELECT id FROM songs WHERE " + TAKEABLE + " ORDER BY created_at LIMIT 100",
                takeable(startedAt, now()), rs -> rs.getObject(1, UUID.class));
    }

    private Map<String, Object> takeable(OffsetDateTime startedAt, OffsetDateTime now) {
        OffsetDateTime staleUpload = now.minus(lease);
        Map<String, Object> p = new HashMap<>();
        p.put("before", staleUpload.isAfter(startedAt) ? staleUpload : startedAt);
        p.put("now", now);
        p.put("owner", owner);
        p.put("startedAt", startedAt);
        return p;
    }

    /** How often the song's analysis has started (a counter for operators and the scale-out test). */
    public int analysisRuns(UUID id) {
        return jdbc.queryOne("SELECT analysis_runs FROM songs WHERE id = :id", Map.of("id", id), rs -> rs.getInt(1))
                .orElse(0);
    }

    private int update(String sql, Map<String, ?> params) {
        return jdbc.update(sql, params);
    }

    private static OffsetDateTime now() {
        return Jdbc.now();
    }
}
