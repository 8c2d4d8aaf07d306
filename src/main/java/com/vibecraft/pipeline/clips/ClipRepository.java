package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.storage.NamedSql;
import com.vibecraft.pipeline.storage.TimeOrderedIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The clip ledger. Each row carries its current job id; every state change names the job it
 * expects, so a late or repeated message about an older job changes nothing.
 */
public class ClipRepository {

    /** Why a plan could not replace a song's clips. */
    public enum PlanRefusal { NO_SONG, BUSY, NOT_REQUESTED }

    public static final class PlanRefused extends RuntimeException {
        private final PlanRefusal reason;

        PlanRefused(PlanRefusal reason, String message) {
            super(message);
            this.reason = reason;
        }

        public PlanRefusal reason() {
            return reason;
        }
    }

    /** The outcome of a failure report. */
    public enum FailureOutcome { RETRY_SCHEDULED, EXHAUSTED, STALE }

    // in the order map() reads them
    private static final List<String> COLUMN_NAMES = List.of("id", "song_id", "section_id", "section_type",
            "section_display_name", "clip_index", "start_sec", "end_sec", "duration_sec", "start_beat", "end_beat", "fps",
            "num_frames", "status", "attempts", "max_attempts", "next_attempt_at", "error", "prompt", "style_seed",
            "video_url", "job_id", "created_at", "updated_at", "completed_at");
    private static final String COLUMNS = String.join(", ", COLUMN_NAMES);
    /** {@link #COLUMNS} of the clips table as {@code c} in a join. */
    private static final String C_COLUMNS = String.join(", ", COLUMN_NAMES.stream().map(n -> "c." + n).toList());
    private static final String IN_FLIGHT = "status IN ('queued', 'processing')";

    private final Jdbc jdbc;
    private final RetryPolicy retryPolicy;

    public ClipRepository(DataSource dataSource, RetryPolicy retryPolicy) {
        this.jdbc = new Jdbc(dataSource);
        this.retryPolicy = retryPolicy;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Replaces all clips of a song with new rows, each with a fresh job (status {@code queued}, not yet
     * sent), all with the given style seed. Refused while any clip of the song is queued or processing.
     * One transaction, with the song row locked, so two plans of one song cannot interleave.
     */
    public List<Clip> replaceClips(UUID songId, List<ClipDraft> drafts, long styleSeed) {
        return replace(songId, drafts, styleSeed, false).clips();
    }

    /**
     * Like {@link #replaceClips(UUID, List, long)} with the song's own style seed, chosen (in the same
     * transaction) on its first plan and kept for every plan, clip and retry after it.
     *
     * The clips belong to one new plan row (the song's only one), so the plan's first send is recorded by
     * {@link #markPlanSent} on that row instead of on every clip.
     *
     * @param onlyIfRequested for automatic planning: refused ({@link PlanRefusal#NOT_REQUESTED}) when the
     *                        song's pending request is gone, i.e. another planner (the relay of this or
     *                        another instance) got there first, so finished clips are not planned again
     */
    public ClipPlan planClips(UUID songId, List<ClipDraft> drafts, boolean onlyIfRequested) {
        return replace(songId, drafts, null, onlyIfRequested);
    }

    private record PlanTarget(boolean requested, Long styleSeed) {
    }

    private ClipPlan replace(UUID songId, List<ClipDraft> drafts, Long givenSeed, boolean onlyIfRequested) {
        return jdbc.inTransaction(c -> {
            List<PlanTarget> song = Jdbc.query(c, "SELECT clips_requested_at IS NOT NULL, style_seed FROM songs "
                    + "WHERE id = :id FOR UPDATE", Map.of("id", songId),
                    rs -> new PlanTarget(rs.getBoolean(1), Jdbc.longOrNull(rs, "style_seed")));
            if (song.isEmpty()) {
                throw new PlanRefused(PlanRefusal.NO_SONG, "Song " + songId + " was not found.");
            }
            PlanTarget target = song.get(0);
            if (onlyIfRequested && !target.requested()) {
                throw new PlanRefused(PlanRefusal.NOT_REQUESTED, "Song " + songId + " has been planned already.");
            }
            long busy = Jdbc.query(c, "SELECT COUNT(*) FROM clips WHERE song_id = :id AND " + IN_FLIGHT,
                    Map.of("id", songId), rs -> rs.getLong(1)).get(0);
            if (busy > 0) {
                throw new PlanRefused(PlanRefusal.BUSY, "Song " + songId + " still has " + busy
                        + " clips queued or processing.");
            }
            boolean newSeed = givenSeed == null && target.styleSeed() == null;
            long seed = givenSeed != null ? givenSeed
                    : newSeed ? ThreadLocalRandom.current().nextLong(1, 1L << 31) : target.styleSeed();
            // the song row only when something in it changes: the row is wide (its beats), rewriting it costs
            if (newSeed) {
                Jdbc.update(c, "UPDATE songs SET clips_requested_at = NULL, style_seed = :seed WHERE id = :id",
                        Map.of("seed", seed, "id", songId));
            } else if (target.requested()) {
                Jdbc.update(c, "UPDATE songs SET clips_requested_at = NULL WHERE id = :id", Map.of("id", songId));
            }
            Jdbc.update(c, "DELETE FROM clips WHERE song_id = :id", Map.of("id", songId));
            OffsetDateTime now = Jdbc.now();
            String stamp = Jdbc.iso(now);
            // the song's one plan row, rewritten for the new plan (inserted on the song's first plan)
            UUID planId = TimeOrderedIds.next();
            Map<String, Object> plan = Map.of("song", songId, "plan", planId, "now", now);
            if (Jdbc.update(c, "UPDATE clip_plans SET id = :plan, created_at = :now, sent_at = NULL WHERE song_id = :song",
                    plan) == 0) {
                Jdbc.update(c, "INSERT INTO clip_plans (song_id, id, created_at) VALUES (:song, :plan, :now)", plan);
            }
            List<Clip> stored = new ArrayList<>(drafts.size());
            // one batch: the whole plan reaches the database in one round trip, in the one transaction
            NamedSql insert = NamedSql.of("INSERT INTO clips (id, song_id, section_id, section_type, section_display_name, "
                    + "clip_index, start_sec, end_sec, duration_sec, start_beat, end_beat, fps, num_frames, status, "
                    + "attempts, max_attempts, prompt, style_seed, job_id, plan_id, created_at, updated_at) VALUES (:id, "
                    + ":songId, :sectionId, :sectionType, :sectionDisplayName, :clipIndex, :startSec, :endSec, "
                    + ":durationSec, :startBeat, :endBeat, :fps, :numFrames, 'queued', 1, :maxAttempts, :prompt, "
                    + ":seed, :jobId, :plan, :now, :now)");
            try (PreparedStatement ps = c.prepareStatement(insert.jdbcSql())) {
                int index = 0;
                for (ClipDraft d : drafts) {
                    PlannedClip p = d.plan();
                    Clip clip = new Clip(TimeOrderedIds.next(), songId, p.sectionId(), d.sectionType(),
                            d.sectionDisplayName(), index++, p.startSec(), p.endSec(), p.durationSec(), p.startBeat(),
                            p.endBeat(), p.fps(), p.numFrames(), ClipStatus.QUEUED, 1, retryPolicy.maxAttempts(), null,
                            null, d.prompt(), seed, null, TimeOrderedIds.next(), stamp, stamp, null);
                    Map<String, Object> m = new HashMap<>();
                    m.put("id", clip.id());
                    m.put("songId", songId);
                    m.put("sectionId", clip.sectionId());
                    m.put("sectionType", clip.sectionType());
                    m.put("sectionDisplayName", clip.sectionDisplayName());
                    m.put("clipIndex", clip.clipIndex());
                    m.put("startSec", clip.startSec());
                    m.put("endSec", clip.endSec());
                    m.put("durationSec", clip.durationSec());
                    m.put("startBeat", clip.startBeat());
                    m.put("endBeat", clip.endBeat());
                    m.put("fps", clip.fps());
                    m.put("numFrames", clip.numFrames());
                    m.put("maxAttempts", clip.maxAttempts());
                    m.put("prompt", clip.prompt());
                    m.put("seed", seed);
                    m.put("jobId", clip.jobId());
                    m.put("plan", planId);
                    m.put("now", now);
                    insert.bind(ps, m);
                    ps.addBatch();
                    stored.add(clip);
                }
                ps.executeBatch();
            }
            // the rows as written, without reading them back
            return new ClipPlan(planId, songId, stored);
        });
    }

    public List<Clip> findBySong(UUID songId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM clips WHERE song_id = :id ORDER BY clip_index",
                Map.of("id", songId), ClipRepository::map);
    }

    public Optional<Clip> find(UUID clipId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM clips WHERE id = :id", Map.of("id", clipId), ClipRepository::map);
    }

    /**
     * A plan's first send reached Redis (all its jobs in one call): one row records it for all of its
     * clips still in the plan. False when the plan was replaced meanwhile or was marked already.
     */
    public boolean markPlanSent(UUID songId, UUID planId) {
        return jdbc.update("UPDATE clip_plans SET sent_at = :now WHERE song_id = :song AND id = :plan AND sent_at IS NULL",
                Map.of("now", Jdbc.now(), "song", songId, "plan", planId)) == 1;
    }

    /**
     * The jobs reached Redis (a single job, or what the relay sent): their clips are marked sent on their
     * own rows, in one statement per 500 jobs.
     */
    public void markSentAll(List<UUID> jobIds) {
        for (int from = 0; from < jobIds.size(); from += 500) {
            List<UUID> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + 500));
            Map<String, Object> m = new HashMap<>();
            m.put("now", Jdbc.now());
            jdbc.update("UPDATE clips SET job_sent_at = :now WHERE job_id IN (" + Jdbc.namedList("j", chunk, m)
                    + ") AND job_sent_at IS NULL", m);
        }
    }

    /**
     * Queued clips whose current job went on the stream more than {@code age} ago (on their own row, or
     * with their plan), oldest first.
     */
    public List<Clip> sentAndWaiting(Duration age, int limit) {
        return jdbc.query("SELECT " + C_COLUMNS + " FROM clips c LEFT JOIN clip_plans p ON p.song_id = c.song_id "
                        + "AND p.id = c.plan_id WHERE c.status = 'queued' AND COALESCE(c.job_sent_at, p.sent_at) < :before "
                        + "ORDER BY COALESCE(c.job_sent_at, p.sent_at) LIMIT :limit",
                Map.of("before", Jdbc.now().minus(age), "limit", limit), ClipRepository::map);
    }

    /**
     * The job's send is undone (Redis lost it), so the relay sends it again; false if the clip moved on or
     * was not marked sent. The clip leaves its plan: from now on its send is marked on its own row.
     */
    public boolean markUnsent(UUID clipId, UUID jobId) {
        return jdbc.update("UPDATE clips SET job_sent_at = NULL, plan_id = NULL WHERE id = :id AND job_id = :jobId "
                + "AND status = 'queued' AND (job_sent_at IS NOT NULL OR EXISTS (SELECT 1 FROM clip_plans p "
                + "WHERE p.song_id = clips.song_id AND p.id = clips.plan_id AND p.sent_at IS NOT NULL))",
                Map.of("id", clipId, "jobId", jobId)) == 1;
    }

    /**
     * Queued clips whose current job was never confirmed on the stream, older than {@code age}: first the
     * clips of plans whose send did not happen, then single jobs. Neither look walks the queued clips of
     * sent plans: plans by their own index, single jobs by {@code clips_unsent_idx} with no plan.
     */
    public List<Clip> unsent(Duration age, int limit) {
        OffsetDateTime before = Jdbc.now().minus(age);
        List<Clip> out = new ArrayList<>();
        List<UUID[]> plans = jdbc.query("SELECT song_id, id FROM clip_plans WHERE sent_at IS NULL AND created_at < :before "
                + "ORDER BY created_at LIMIT :limit", Map.of("before", before, "limit", limit),
                rs -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)});
        for (UUID[] plan : plans) {
            if (out.size() >= limit) {
                return out;
            }
            out.addAll(jdbc.query("SELECT " + COLUMNS + " FROM clips WHERE song_id = :song AND plan_id = :plan "
                    + "AND status = 'queued' AND job_sent_at IS NULL ORDER BY clip_index LIMIT :limit",
                    Map.of("song", plan[0], "plan", plan[1], "limit", limit - out.size()), ClipRepository::map));
        }
        if (out.size() < limit) {
            out.addAll(jdbc.query("SELECT " + COLUMNS + " FROM clips WHERE job_sent_at IS NULL AND plan_id IS NULL "
                            + "AND status = 'queued' AND updated_at < :before ORDER BY updated_at LIMIT :limit",
                    Map.of("before", before, "limit", limit - out.size()), ClipRepository::map));
        }
        return out;
    }

    /**
     * Plans whose first send did not happen but whose queued clips have all been sent since (by the relay,
     * on their own rows) or left the plan: marked sent, so the relay stops looking at them. Once a plan
     * has no unsent queued clip it never gets one again (a plan gains no clips), so this is safe beside
     * any concurrent send. @return how many plans were settled
     */
    public int settleRelayedPlans(Duration age) {
        return jdbc.update("UPDATE clip_plans SET sent_at = :now WHERE sent_at IS NULL AND created_at < :before "
                + "AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.song_id = clip_plans.song_id "
                + "AND c.plan_id = clip_plans.id AND c.status = 'queued' AND c.job_sent_at IS NULL)",
                Map.of("now", Jdbc.now(), "before", Jdbc.now().minus(age)));
    }

    /**
     * A worker took the job; {@code worker} (its consumer name) is recorded on the clip.
     *
     * @return false when the job is no longer this clip's current one, or another worker has it
     */
    public boolean markProcessing(UUID clipId, UUID jobId, String worker) {
        // the same worker may take up again a job it began and never settled (its result unpublished)
        return jdbc.update("UPDATE clips SET status = 'processing', worker = :worker, updated_at = :now WHERE id = :id "
                + "AND job_id = :jobId AND (status = 'queued' OR (status = 'processing' AND worker = :worker))", Map.of("now", Jdbc.now(), "id", clipId, "jobId", jobId,
                "worker", worker)) == 1;
    }

    /** @return false for an unknown clip or a stale job: nothing changes. */
    public boolean complete(UUID clipId, UUID jobId, String videoUrl) {
        OffsetDateTime now = Jdbc.now();
        return jdbc.update("UPDATE clips SET status = 'completed', video_url = :url, error = NULL, "
                + "next_attempt_at = NULL, completed_at = :now, updated_at = :now WHERE id = :id AND job_id = :jobId "
                + "AND " + IN_FLIGHT, Map.of("url", videoUrl, "now", now, "id", clipId, "jobId", jobId)) == 1;
    }

    /**
     * Records a failed attempt: with attempts left the clip waits for its backoff, otherwise it stays
     * failed for good (and is then dead-lettered).
     */
    public FailureOutcome fail(UUID clipId, UUID jobId, String error) {
        return jdbc.inTransaction(c -> {
            List<int[]> rows = Jdbc.query(c, "SELECT attempts, max_attempts FROM clips WHERE id = :id AND job_id = :jobId "
                    + "AND " + IN_FLIGHT + " FOR UPDATE", Map.of("id", clipId, "jobId", jobId),
                    rs -> new int[] {rs.getInt(1), rs.getInt(2)});
            if (rows.isEmpty()) {
                return FailureOutcome.STALE;
            }
            int attempts = rows.get(0)[0];
            boolean retry = attempts < rows.get(0)[1];
            OffsetDateTime now = Jdbc.now();
            Map<String, Object> m = new HashMap<>();
            m.put("error", Jdbc.fit(error, 2000));
            m.put("next", retry ? now.plus(retryPolicy.delayAfter(attempts)) : null);
            m.put("now", now);
            m.put("id", clipId);
            Jdbc.update(c, "UPDATE clips SET status = 'failed', error = :error, next_attempt_at = :next, "
                    + "updated_at = :now WHERE id = :id", m);
            return retry ? FailureOutcome.RETRY_SCHEDULED : FailureOutcome.EXHAUSTED;
        });
    }

    /** Failed clips whose backoff has passed, with attempts left. */
    public List<Clip> dueRetries(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM clips WHERE status = 'failed' AND attempts < max_attempts "
                + "AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit",
                Map.of("now", Jdbc.now(), "limit", limit), ClipRepository::map);
    }

    /**
     * Gives the clip a new job (status {@code queued}, not yet sent), if its current job is still
     * {@code expectedJobId} and its status is one of {@code fromStatuses}. Exactly one of several
     * concurrent callers wins.
     *
     * @param resetAttempts true for a person's retry: a fresh round of attempts
     * @return the clip with its new job, or empty when someone else changed it first
     */
    public Optional<Clip> reissue(UUID clipId, UUID expectedJobId, List<ClipStatus> fromStatuses, boolean resetAttempts) {
        UUID newJob = TimeOrderedIds.next();
        List<String> statuses = fromStatuses.stream().map(ClipStatus::value).toList();
        Map<String, Object> m = new HashMap<>();
        m.put("newJob", newJob);
        m.put("now", Jdbc.now());
        m.put("id", clipId);
        m.put("oldJob", expectedJobId);
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("reissue needs the statuses a clip may be reissued from");
        }
        String in = Jdbc.namedList("s", statuses, m);
        // the new job is sent and marked on its own: the clip leaves its plan
        int n = jdbc.update("UPDATE clips SET status = 'queued', job_id = :newJob, job_sent_at = NULL, plan_id = NULL, "
                + "error = NULL, worker = NULL, "
                + "video_url = NULL, next_attempt_at = NULL, dead_lettered_at = NULL, completed_at = NULL, "
                + "attempts = " + (resetAttempts ? "1" : "attempts + 1") + ", updated_at = :now "
                + "WHERE id = :id AND job_id = :oldJob AND status IN (" + in + ")", m);
        return n == 1 ? find(clipId) : Optional.empty();
    }

    /** Out of attempts and not yet on the dead-letter stream. */
    public List<Clip> awaitingDeadLetter(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM clips WHERE status = 'failed' AND attempts >= max_attempts "
                + "AND dead_lettered_at IS NULL ORDER BY updated_at LIMIT :limit", Map.of("limit", limit),
                ClipRepository::map);
    }

    public void markDeadLettered(UUID clipId, UUID jobId) {
        jdbc.update("UPDATE clips SET dead_lettered_at = :now WHERE id = :id AND job_id = :jobId",
                Map.of("now", Jdbc.now(), "id", clipId, "jobId", jobId));
    }

    /** Songs whose clips were asked for (after analysis) but not planned yet, e.g. the service stopped. */
    public List<UUID> songsAwaitingPlan(Duration age, int limit) {
        return jdbc.query("SELECT id FROM songs WHERE clips_requested_at IS NOT NULL AND clips_requested_at < :before "
                + "AND status = 'analyzed' ORDER BY clips_requested_at LIMIT :limit",
                Map.of("before", Jdbc.now().minus(age), "limit", limit), rs -> rs.getObject(1, UUID.class));
    }

    /** A row of {@link #COLUMNS}, by position: a status read maps dozens, and a lookup by name costs more than the value. */
    private static Clip map(ResultSet rs) throws SQLException {
        return new Clip(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getDouble(7),
                rs.getDouble(8),
                rs.getDouble(9),
                Jdbc.intOrNull(rs, 10),
                Jdbc.intOrNull(rs, 11),
                rs.getInt(12),
                rs.getInt(13),
                ClipStatus.of(rs.getString(14)),
                rs.getInt(15),
                rs.getInt(16),
                Jdbc.iso(rs.getObject(17, OffsetDateTime.class)),
                rs.getString(18),
                rs.getString(19),
                rs.getLong(20),
                rs.getString(21),
                rs.getObject(22, UUID.class),
                Jdbc.iso(rs.getObject(23, OffsetDateTime.class)),
                Jdbc.iso(rs.getObject(24, OffsetDateTime.class)),
                Jdbc.iso(rs.getObject(25, OffsetDateTime.class)));
    }
}
