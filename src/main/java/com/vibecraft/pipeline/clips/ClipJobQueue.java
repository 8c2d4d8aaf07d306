package com.vibecraft.pipeline.clips;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The clip-job queue on Redis Streams (README "Job protocol"): jobs on {@code {prefix}:clip-jobs}
 * (group {@code clip-workers}), results on {@code {prefix}:clip-results} (group {@code clip-results}),
 * hopeless jobs on {@code {prefix}:clip-jobs:dead}. Plain Java over Jedis; knows nothing of Camel.
 */
public class ClipJobQueue {

    public static final String WORKER_GROUP = "clip-workers";
    public static final String RESULTS_GROUP = "clip-results";

    private static final Logger LOG = LoggerFactory.getLogger(ClipJobQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * XADD only if this job id was never sent: a relay that re-sends after a lost acknowledgement
     * (Redis answered, the database update failed) cannot put the same job on the stream twice.
     */
    private static final String ENQUEUE_ONCE = """
            if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
              return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
            end
            return false
            """;

    /**
     * {@link #ENQUEUE_ONCE} for many jobs in one command: KEYS are the stream, then one send marker per
     * job; ARGV the marker's lifetime, then per job the number of its field arguments and the fields.
     * A script runs alone, so checking the marker first is as safe as SET NX; the marker is written
     * after its entry, so a script that fails part-way leaves no marker without its job.
     */
    private static final String ENQUEUE_ALL_ONCE = """
            local ids = {}
            local at = 2
            for k = 2, #KEYS do
              local n = tonumber(ARGV[at])
              if redis.call('EXISTS', KEYS[k]) == 0 then
                ids[k - 1] = redis.call('XADD', KEYS[1], '*', unpack(ARGV, at + 1, at + n))
                redis.call('SET', KEYS[k], '1', 'EX', ARGV[1])
              else
                ids[k - 1] = false
              end
              at = at + n + 1
            end
            return ids
            """;

    /**
     * Whether Redis still knows this job was sent. The marker and the stream entry are written by one
     * script, so a Redis that lost the entry (a crash within its last fsync second) lost the marker too.
     */
    public boolean wasSent(UUID jobId) {
        return redis.exists(sentKeyPrefix + jobId);
    }

    /** A stream entry delivered to this consumer. */
    public record Delivery<T>(String entryId, T message, String problem) {
        public boolean malformed() {
            return problem != null;
        }
    }

    private final UnifiedJedis redis;
    private final String jobsKey;
    private final String resultsKey;
    private final String deadKey;
    private final String sentKeyPrefix;
    private final String deadKeyPrefix;
    private final long sentMarkerTtlSec;

    public ClipJobQueue(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.jobsKey = prefix + ":clip-jobs";
        this.resultsKey = prefix + ":clip-results";
        this.deadKey = prefix + ":clip-jobs:dead";
        this.sentKeyPrefix = prefix + ":clip-job-sent:";
        this.deadKeyPrefix = prefix + ":clip-job-dead:";
        this.sentMarkerTtlSec = 7L * 24 * 3600;
    }

    public String jobsKey() {
        return jobsKey;
    }

    public String resultsKey() {
        return resultsKey;
    }

    public String deadKey() {
        return deadKey;
    }

    /** Creates both consumer groups (and streams); an existing group is fine. */
    public void ensureGroups() {
        createGroup(jobsKey, WORKER_GROUP);
        createGroup(resultsKey, RESULTS_GROUP);
    }

    private void createGroup(String key, String group) {
        try {
            redis.xgroupCreate(key, group, new StreamEntryID(0, 0), true);
            LOG.info("Created consumer group {} on {}", group, key);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Puts a job on the stream unless this job id was already sent. @return the entry id, or null if it was. */
    public String enqueue(ClipJob job) {
        return enqueueAll(List.of(job)).get(0);
    }

    /**
     * Puts jobs (a song's plan, or what the relay found) on the stream in one scripted call, each unless
     * its job id was already sent. Redis runs the script as one command, so a connection that fails
     * either sent the whole call or none of it; either way the send markers keep a repeat from adding
     * any job twice.
     *
     * @return per job, its entry id or null if it was already sent
     */
    public List<String> enqueueAll(List<ClipJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(jobs.size() + 1);
        keys.add(jobsKey);
        List<String> args = new ArrayList<>(1 + jobs.size() * 33);
        args.add(String.valueOf(sentMarkerTtlSec));
        for (ClipJob job : jobs) {
            keys.add(sentKeyPrefix + job.jobId());
            Map<String, String> f = jobFields(job);
            args.add(String.valueOf(f.size() * 2));
            f.forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
        }
        Object reply = redis.eval(ENQUEUE_ALL_ONCE, keys, args);
        if (!(reply instanceof List<?> entries) || entries.size() != jobs.size()) {
            throw new IllegalStateException("Redis answered " + reply + " to " + jobs.size() + " jobs");
        }
        List<String> ids = new ArrayList<>(entries.size());
        for (Object id : entries) {
            ids.add(id == null ? null : String.valueOf(id));
        }
        return ids;
    }

    /** The entry fields: every job field as a string, plus {@code json} holding the whole job. */
    static Map<String, String> jobFields(ClipJob job) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("clipId", job.clipId().toString());
        f.put("jobId", job.jobId().toString());
        f.put("songId", job.songId().toString());
        f.put("sectionId", job.sectionId());
        f.put("sectionType", job.sectionType());
        f.put("sectionDisplayName", job.sectionDisplayName());
        f.put("startSec", Double.toString(job.startSec()));
        f.put("endSec", Double.toString(job.endSec()));
        f.put("durationSec", Double.toString(job.durationSec()));
        f.put("fps", Integer.toString(job.fps()));
        f.put("numFrames", Integer.toString(job.numFrames()));
        f.put("prompt", job.prompt());
        f.put("styleSeed", Long.toString(job.styleSeed()));
        f.put("attempt", Integer.toString(job.attempt()));
        f.put("audioUrl", job.audioUrl() == null ? "" : job.audioUrl());
        try {
            f.put("json", JSON.writeValueAsString(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    static ClipJob parseJob(Map<String, String> f) {
        return new ClipJob(UUID.fromString(f.get("clipId")), UUID.fromString(f.get("jobId")),
                UUID.fromString(f.get("songId")), f.get("sectionId"), f.get("sectionType"),
                f.get("sectionDisplayName"), Double.parseDouble(f.get("startSec")), Double.parseDouble(f.get("endSec")),
                Double.parseDouble(f.get("durationSec")), Integer.parseInt(f.get("fps")),
                Integer.parseInt(f.get("numFrames")), f.get("prompt"), Long.parseLong(f.get("styleSeed")),
                Integer.parseInt(f.get("attempt")), emptyToNull(f.get("audioUrl")));
    }

    /** New jobs for this consumer, waiting up to {@code blockMs} for one. */
    public List<Delivery<ClipJob>> readJobs(String consumer, int count, long blockMs) {
        return read(jobsKey, WORKER_GROUP, consumer, count, blockMs, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)
                .stream().map(ClipJobQueue::toJob).toList();
    }

    /** An entry delivered to a consumer and not yet acknowledged, idle this long, handed out this many times. */
    public record Pending(String entryId, long idleMs, long deliveries) {
    }

    /**
     * This consumer's unacknowledged jobs (XPENDING), oldest first. Looking does not touch them: a job
     * that hangs in a live worker still reaches the visibility timeout.
     */
    public List<Pending> ownPendingJobs(String consumer, int count) {
        return unlessGroupLost(() -> redis.xpending(jobsKey, WORKER_GROUP,
                        XPendingParams.xPendingParams().count(count).consumer(consumer)).stream()
                .map(p -> new Pending(p.getID().toString(), p.getIdleTime(), p.getDeliveredTimes())).toList(),
                List.of(), WORKER_GROUP, jobsKey);
    }

    /**
     * Delivers one of this consumer's pending jobs to it again (XCLAIM), unless someone has touched the
     * entry since it was seen idle {@code idleMs} (another instance's reclaimer took it): then empty. An
     * entry deleted from the stream meanwhile comes back malformed, to be acknowledged.
     */
    public Optional<Delivery<ClipJob>> retakeJob(String consumer, Pending pending) {
        StreamEntryID id = new StreamEntryID(pending.entryId());
        // at least 1 ms: Redis skips the idle check at 0
        List<StreamEntry> r = unlessGroupLost(() -> redis.xclaim(jobsKey, WORKER_GROUP, consumer,
                Math.max(1, pending.idleMs()), XClaimParams.xClaimParams(), id), List.of(), WORKER_GROUP, jobsKey);
        if (r == null || r.isEmpty()) {
            return Optional.empty();
        }
        StreamEntry e = r.get(0);
        if (e == null || e.getFields() == null) {
            return Optional.of(new Delivery<>(pending.entryId(), null, "job entry " + pending.entryId() + " was deleted"));
        }
        return Optional.of(toJob(e));
    }

    public void ackJob(String entryId) {
        redis.xack(jobsKey, WORKER_GROUP, new StreamEntryID(entryId));
    }

    /**
     * Takes over jobs another consumer received but did not acknowledge within {@code minIdleMs}
     * (its worker died); they become this consumer's to settle.
     */
    public List<Delivery<ClipJob>> reclaimStalled(String consumer, long minIdleMs, int count) {
        return claim(jobsKey, WORKER_GROUP, consumer, minIdleMs, count).stream().map(ClipJobQueue::toJob).toList();
    }

    /** XAUTOCLAIM: atomic in Redis, so an entry idle that long goes to one claimer only. */
    private List<StreamEntry> claim(String key, String group, String consumer, long minIdleMs, int count) {
        Map.Entry<StreamEntryID, List<StreamEntry>> r = unlessGroupLost(() -> redis.xautoclaim(key, group, consumer,
                minIdleMs, new StreamEntryID(0, 0), new XAutoClaimParams().count(count)), null, group, key);
        if (r == null) {
            return List.of();
        }
        List<StreamEntry> out = new ArrayList<>();
        for (StreamEntry e : r.getValue()) {
            // an entry deleted meanwhile comes without fields: it is reported malformed and acknowledged
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Puts a hopeless job on the dead-letter stream, once per job id: the retry sweeper and the result
     * reader (of this or another instance) may both try the same clip.
     *
     * @return the entry id, or null if the job was already dead-lettered
     */
    public String deadLetter(ClipJob job, String error) {
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(sentMarkerTtlSec));
        Map<String, String> f = jobFields(job);
        f.put("error", error == null ? "" : error);
        f.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Object id = redis.eval(ENQUEUE_ONCE, List.of(deadKey, deadKeyPrefix + job.jobId()), args);
        return id == null ? null : String.valueOf(id);
    }

    public void publishResult(ClipResult result) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("clipId", result.clipId().toString());
        f.put("jobId", result.jobId().toString());
        f.put("status", result.completed() ? "completed" : "failed");
        if (result.videoUrl() != null) {
            f.put("videoUrl", result.videoUrl());
        }
        if (result.error() != null) {
            f.put("error", result.error());
        }
        redis.xadd(resultsKey, StreamEntryID.NEW_ENTRY, f);
    }

    /**
     * Results for this consumer: first any it received earlier but did not acknowledge (say the
     * database was down), then new ones.
     */
    public List<Delivery<ClipResult>> readResults(String consumer, int count, long blockMs) {
        return readResults(consumer, count, blockMs, 0);
    }

    /**
     * Like {@link #readResults(String, int, long)}, and with {@code orphanIdleMs > 0} also results another
     * consumer received but has not acknowledged for that long (its instance died before applying them).
     */
    public List<Delivery<ClipResult>> readResults(String consumer, int count, long blockMs, long orphanIdleMs) {
        List<StreamEntry> entries = read(resultsKey, RESULTS_GROUP, consumer, count, 0, new StreamEntryID(0, 0));
        if (entries.isEmpty() && orphanIdleMs > 0) {
            entries = claim(resultsKey, RESULTS_GROUP, consumer, orphanIdleMs, count);
        }
        if (entries.isEmpty()) {
            entries = read(resultsKey, RESULTS_GROUP, consumer, count, blockMs, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        }
        return entries.stream().map(ClipJobQueue::toResult).toList();
    }

    public void ackResult(String entryId) {
        redis.xack(resultsKey, RESULTS_GROUP, new StreamEntryID(entryId));
    }

    public long jobsLength() {
        return redis.xlen(jobsKey);
    }

    public long deadLength() {
        return redis.xlen(deadKey);
    }

    public long pendingJobs() {
        return redis.xpending(jobsKey, WORKER_GROUP).getTotal();
    }

    /**
     * How far the workers are behind: jobs on the stream not yet delivered to any worker (counted
     * up to {@code cap}: Redis 6 has no group lag, so they are read past the group's last delivered
     * id), jobs delivered but not acknowledged, and dead-lettered jobs.
     */
    public Backlog backlog(int cap) {
        long length = redis.xlen(jobsKey);
        StreamGroupInfo group = null;
        if (length > 0) {
            for (StreamGroupInfo g : redis.xinfoGroups(jobsKey)) {
                if (WORKER_GROUP.equals(g.getName())) {
                    group = g;
                }
            }
        }
        long waiting;
        long pending = 0;
        if (group == null) {
            waiting = Math.min(length, cap);
        } else {
            pending = group.getPending();
            waiting = redis.xrange(jobsKey, "(" + group.getLastDeliveredId(), "+", cap).size();
        }
        return new Backlog(length, waiting, pending, redis.xlen(deadKey));
    }

    /** See {@link #backlog}. */
    public record Backlog(long length, long waiting, long pending, long dead) {
        public long lag() {
            return waiting + pending;
        }
    }

    /**
     * {@code call}'s answer; if Redis lost the consumer group (restarted without persistence: NOGROUP),
     * the groups are recreated and {@code ifLost} is the answer, the call being tried again next time.
     */
    private <T> T unlessGroupLost(Supplier<T> call, T ifLost, String group, String key) {
        try {
            return call.get();
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                LOG.warn("Consumer group {} missing on {}: recreating it", group, key);
                ensureGroups();
                return ifLost;
            }
            throw e;
        }
    }

    private List<StreamEntry> read(String key, String group, String consumer, int count, long blockMs, StreamEntryID from) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(count);
        if (blockMs > 0) {
            params.block((int) blockMs);
        }
        List<Map.Entry<String, List<StreamEntry>>> r = unlessGroupLost(
                () -> redis.xreadGroup(group, consumer, params, Map.of(key, from)), List.of(), group, key);
        List<StreamEntry> out = new ArrayList<>();
        if (r != null) {
            for (Map.Entry<String, List<StreamEntry>> stream : r) {
                for (StreamEntry e : stream.getValue()) {
                    // a pending entry deleted from the stream comes back without fields
                    if (e != null && e.getFields() != null) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    private static Delivery<ClipJob> toJob(StreamEntry e) {
        try {
            return new Delivery<>(e.getID().toString(), parseJob(e.getFields()), null);
        } catch (RuntimeException ex) {
            return new Delivery<>(e.getID().toString(), null, "malformed job entry " + e.getID() + ": " + ex);
        }
    }

    private static Delivery<ClipResult> toResult(StreamEntry e) {
        try {
            Map<String, String> f = e.getFields();
            String status = f.get("status");
            if (!"completed".equals(status) && !"failed".equals(status)) {
                throw new IllegalArgumentException("status must be completed or failed, got " + status);
            }
            ClipResult r = new ClipResult(UUID.fromString(f.get("clipId")), UUID.fromString(f.get("jobId")),
                    "completed".equals(status), emptyToNull(f.get("videoUrl")), emptyToNull(f.get("error")));
            if (r.completed() && r.videoUrl() == null) {
                throw new IllegalArgumentException("a completed result needs a videoUrl");
            }
            return new Delivery<>(e.getID().toString(), r, null);
        } catch (RuntimeException ex) {
            return new Delivery<>(e.getID().toString(), null, "malformed result entry " + e.getID() + ": " + ex.getMessage());
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
