package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipPlan;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.redis.EmbeddedRedis;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.TcpProxy;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A song's plan on the way out (issue 13 item 5), on the real database and a Redis of the test's own:
 * the rows in one transaction, the jobs in one scripted call, the send markers in one update; a send
 * that fails part-way or entirely leaves the rows to the relay, which puts every job on the stream
 * exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClipSendBatchTest {

    static final int CLIPS = 12;

    HikariDataSource ds;
    EmbeddedRedis redisServer;
    JedisPooled jedis;
    SongRepository songs;
    ClipRepository clips;
    ClipLinks links = new ClipLinks("http://localhost:8080");
    String prefix;
    ClipJobQueue queue;
    ClipDispatchSteps dispatch;

    @BeforeAll
    void start() throws Exception {
        ds = TestEnvironment.database(TestEnvironment.prepare("sendbatch", Map.of()), 10);
        songs = new SongRepository(ds);
        clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
        // a Redis of its own: the test pauses it, which must not hold up anyone else's
        Path dir = Files.createTempDirectory("vibecraft-sendbatch-redis-");
        TestEnvironment.deleteOnExit(dir);
        redisServer = EmbeddedRedis.start(dir);
        jedis = new JedisPooled(URI.create(redisServer.url()));
    }

    @AfterAll
    void stop() {
        jedis.close();
        redisServer.close();
        ds.close();
    }

    @BeforeEach
    void freshStream() {
        prefix = "sendbatch-" + UUID.randomUUID();
        queue = new ClipJobQueue(jedis, prefix);
        dispatch = new ClipDispatchSteps(clips, queue, links, "test", Duration.ofMinutes(5));
    }

    private UUID song() {
        UUID id = UUID.randomUUID();
        songs.insert(new NewSong(id, "t", "t.wav", "audio/wav", "wav", 1, id.toString().replace("-", "")
                + "0".repeat(32), "audio/" + id + ".wav", CLIPS * 4.0));
        return id;
    }

    private static List<ClipDraft> drafts(int n) {
        List<ClipDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(new ClipDraft(new PlannedClip("s" + (i / 4 + 1), i * 4.0, i * 4.0 + 4, i * 2, i * 2 + 2, 8, 32),
                    "verse", "Verse " + (i / 4 + 1), "Verse " + (i / 4 + 1) + " of a song, shot " + i));
        }
        return drafts;
    }

    private List<ClipJob> plan(UUID songId) {
        return clips.planClips(songId, drafts(CLIPS), false).clips().stream().map(links::job).toList();
    }

    private List<StreamEntry> stream() {
        return jedis.xrange(prefix + ":clip-jobs", (StreamEntryID) null, (StreamEntryID) null);
    }

    /** Every job of {@code jobs} on the stream exactly once, and nothing else. */
    private void assertEachOnce(List<ClipJob> jobs) {
        List<String> onStream = stream().stream().map(e -> e.getFields().get("jobId")).sorted().toList();
        assertEquals(jobs.stream().map(j -> j.jobId().toString()).sorted().toList(), onStream);
    }

    /** The song's rows without their send marker (the other tests' songs share the database). */
    private Set<UUID> unsentJobIds(UUID songId) {
        Set<UUID> ids = new HashSet<>();
        clips.unsent(Duration.ZERO, 1000).stream().filter(c -> c.songId().equals(songId)).forEach(c -> ids.add(c.jobId()));
        return ids;
    }

    /** Sends on this test's stream through the given client (of a Redis that is down, or behind a faulty link). */
    private ClipDispatchSteps senderThrough(JedisPooled redis) {
        return new ClipDispatchSteps(clips, new ClipJobQueue(redis, prefix), links, "test", Duration.ofMinutes(5));
    }

    /** A client of a port nobody listens on, giving up on each connection after half a second. */
    private static JedisPooled redisThatIsDown() {
        return new JedisPooled(new HostAndPort("127.0.0.1", TestEnvironment.freePort()),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).build());
    }

    /** What the relay would send of this song. */
    private List<ClipJob> relay(UUID songId) {
        return dispatch.unsentJobs().stream().filter(j -> j.songId().equals(songId)).toList();
    }

    @Test
    void thePlanAsWrittenIsThePlanAsStoredAndKeepsTheSongsSeed() {
        UUID songId = song();
        List<Clip> first = clips.planClips(songId, drafts(CLIPS), false).clips();
        assertEquals(clips.findBySong(songId), first, "the rows returned are the rows stored");
        assertEquals(CLIPS, new HashSet<>(first.stream().map(Clip::jobId).toList()).size());
        long seed = first.get(0).styleSeed();
        assertTrue(first.stream().allMatch(c -> c.styleSeed() == seed));
        first.forEach(c -> clips.complete(c.id(), c.jobId(), "http://v/" + c.id()));

        List<Clip> second = clips.planClips(songId, drafts(CLIPS), false).clips();
        assertEquals(clips.findBySong(songId), second);
        assertTrue(second.stream().allMatch(c -> c.styleSeed() == seed), "the song's style seed is chosen once");
        assertTrue(second.stream().noneMatch(c -> first.stream().anyMatch(f -> f.jobId().equals(c.jobId())
                || f.id().equals(c.id()))), "a new plan has new clips and jobs");
    }

    @Test
    void aSongsJobsGoOutInOneCallAndAreMarkedSent() throws Exception {
        UUID songId = song();
        List<ClipJob> jobs = plan(songId);
        assertEquals(jobs.stream().map(ClipJob::jobId).collect(java.util.stream.Collectors.toSet()), unsentJobIds(songId));

        dispatch.sendAll(jobs);
        assertEachOnce(jobs);
        assertEquals(Set.of(), unsentJobIds(songId), "every row carries its send marker");
        // in plan order on the stream
        assertEquals(jobs.stream().map(j -> j.jobId().toString()).toList(),
                stream().stream().map(e -> e.getFields().get("jobId")).toList());
    }

    @Test
    void aPlansJobsGoOutInOneCallAndOneRowMarksThemSent() throws Exception {
        UUID songId = song();
        ClipPlan plan = clips.planClips(songId, drafts(CLIPS), false);
        List<ClipJob> jobs = plan.clips().stream().map(links::job).toList();
        assertEquals(CLIPS, unsentJobIds(songId).size());

        dispatch.sendPlan(new PlanJobs(songId, plan.id(), jobs));
        assertEachOnce(jobs);
        assertEquals(Set.of(), unsentJobIds(songId), "the plan's row carries the send marker of all its clips");
        assertEquals(List.of(), relay(songId));
        assertEquals(jobs.stream().map(j -> j.jobId().toString()).toList(),
                stream().stream().map(e -> e.getFields().get("jobId")).toList(), "in plan order");
    }

    @Test
    void aPlanWhoseSendFailedIsSentByTheRelayOnceAndThenSettled() throws Exception {
        UUID songId = song();
        ClipPlan plan = clips.planClips(songId, drafts(CLIPS), false);
        List<ClipJob> jobs = plan.clips().stream().map(links::job).toList();
        try (JedisPooled down = redisThatIsDown()) {
            ClipDispatchSteps sender = senderThrough(down);
            assertThrows(JedisException.class, () -> sender.sendPlan(new PlanJobs(songId, plan.id(), jobs)));
        }
        assertEquals(List.of(), stream());
        assertEquals(CLIPS, unsentJobIds(songId).size());

        Await.until(Duration.ofSeconds(10), () -> relay(songId).size() == CLIPS, "the relay to see the plan's clips");
        dispatch.sendAll(relay(songId));
        assertEachOnce(jobs);
        assertEquals(Set.of(), unsentJobIds(songId));
        assertEquals(List.of(), relay(songId));
        // the plan itself is settled by the relay's next look, so later looks skip it
        assertEquals(1L, new Jdbc(ds).query("SELECT COUNT(*) FROM clip_plans "
                + "WHERE song_id = :song AND sent_at IS NOT NULL", Map.of("song", songId), rs -> rs.getLong(1)).get(0));
        // a late first send of the same plan adds nothing
        dispatch.sendPlan(new PlanJobs(songId, plan.id(), jobs));
        assertEachOnce(jobs);
    }

    @Test
    void aReplyLostPartWayLeavesTheRowsToTheRelayAndNoJobGoesOutTwice() throws Exception {
        UUID songId = song();
        List<ClipJob> jobs = plan(songId);
        // an earlier send got the first five out, then the instance died before its database update
        queue.enqueueAll(jobs.subList(0, 5));

        // Redis runs the call, then the network drops its answer
        try (TcpProxy link = new TcpProxy("127.0.0.1", URI.create(redisServer.url()).getPort());
             JedisPooled through = new JedisPooled(new HostAndPort("127.0.0.1", link.port()))) {
            ClipDispatchSteps sender = senderThrough(through);
            through.ping(); // connected first, so what is lost is the answer to the send itself
            link.loseReplies(true);
            assertThrows(JedisException.class, () -> sender.sendAll(jobs));
        }
        assertEachOnce(jobs);
        assertEquals(CLIPS, unsentJobIds(songId).size(), "no answer, so no row was marked sent");

        // the relay: what is unsent after its 2 s grace goes out again, and the markers stop every repeat
        Await.until(Duration.ofSeconds(10), () -> relay(songId).size() == CLIPS, "the relay to see the rows");
        dispatch.sendAll(relay(songId));
        assertEachOnce(jobs);
        assertEquals(Set.of(), unsentJobIds(songId));
        assertEquals(List.of(), relay(songId));
    }

    @Test
    void aRedisThatIsDownLeavesEveryJobToTheRelay() throws Exception {
        UUID songId = song();
        List<ClipJob> jobs = plan(songId);
        try (JedisPooled down = redisThatIsDown()) {
            ClipDispatchSteps sender = senderThrough(down);
            assertThrows(JedisException.class, () -> sender.sendAll(jobs));
        }
        assertEquals(List.of(), stream());
        assertEquals(CLIPS, unsentJobIds(songId).size());

        Await.until(Duration.ofSeconds(10), () -> relay(songId).size() == CLIPS, "the relay to see the rows");
        dispatch.sendAll(relay(songId));
        assertEachOnce(jobs);
        assertEquals(Set.of(), unsentJobIds(songId));
    }
}
