package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.support.AtOnce;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A plan's send recorded on one row (issue 13 item 5), on the real database: the plan's clips count as
 * sent with it, the relay finds the clips of a plan whose send did not happen, and a clip that leaves
 * its plan (a job Redis lost, a retry) is sent and marked on its own again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClipPlanMarksTest {

    static final int CLIPS = 6;
    static final Duration HOUR = Duration.ofHours(1);

    HikariDataSource ds;
    Jdbc db;
    SongRepository songs;
    ClipRepository clips;

    @BeforeAll
    void start() {
        ds = TestEnvironment.database(TestEnvironment.prepare("planmarks", Map.of()), 4);
        db = new Jdbc(ds);
        songs = new SongRepository(ds);
        clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
    }

    @AfterAll
    void stop() {
        ds.close();
    }

    private UUID song() {
        UUID id = UUID.randomUUID();
        songs.insert(new NewSong(id, "t", "t.wav", "audio/wav", "wav", 1, id.toString().replace("-", "")
                + "0".repeat(32), "audio/" + id + ".wav", CLIPS * 4.0));
        return id;
    }

    private static List<ClipDraft> drafts() {
        List<ClipDraft> drafts = new ArrayList<>();
        for (int i = 0; i < CLIPS; i++) {
            drafts.add(new ClipDraft(new PlannedClip("s1", i * 4.0, i * 4.0 + 4, i * 2, i * 2 + 2, 8, 32),
                    "verse", "Verse 1", "Verse 1 of a song, shot " + i));
        }
        return drafts;
    }

    private ClipPlan plan(UUID songId) {
        return clips.planClips(songId, drafts(), false);
    }

    /** The song's clips the relay would send, in its order, as clip ids (other tests' songs share the database). */
    private List<UUID> unsent(UUID songId, Duration age) {
        return clips.unsent(age, 10_000).stream().filter(c -> c.songId().equals(songId)).map(Clip::id).toList();
    }

    /** Oldest send first; clips sent at the same moment (one plan, one statement) in any order. */
    private List<UUID> sentAndWaiting(UUID songId, Duration age) {
        return clips.sentAndWaiting(age, 10_000).stream().filter(c -> c.songId().equals(songId)).map(Clip::id).toList();
    }

    private static List<UUID> ids(List<Clip> cs) {
        return cs.stream().map(Clip::id).toList();
    }

    private long rowsMarkedSent(UUID songId) {
        return db.query("SELECT COUNT(*) FROM clips WHERE song_id = :song AND job_sent_at IS NOT NULL",
                Map.of("song", songId), rs -> rs.getLong(1)).get(0);
    }

    private UUID planOf(UUID clipId) {
        return db.query("SELECT plan_id FROM clips WHERE id = :id", Map.of("id", clipId),
                rs -> rs.getObject(1, UUID.class)).get(0);
    }

    private OffsetDateTime planSentAt(UUID songId) {
        return db.query("SELECT sent_at FROM clip_plans WHERE song_id = :song", Map.of("song", songId),
                rs -> rs.getObject(1, OffsetDateTime.class)).get(0);
    }

    private record PlannedAndMarked(ClipPlan plan, boolean firstMark, boolean secondMark) {
    }

    @Test
    void plansOfManySongsAtOnceAreEachWrittenWhole() throws Exception {
        // concurrent plans and marks of different songs: each song gets exactly its own plan and one mark
        List<UUID> songIds = new ArrayList<>();
        List<Callable<PlannedAndMarked>> tasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            UUID id = song();
            songIds.add(id);
            tasks.add(() -> {
                ClipPlan plan = plan(id);
                return new PlannedAndMarked(plan, clips.markPlanSent(id, plan.id()), clips.markPlanSent(id, plan.id()));
            });
        }
        List<Future<PlannedAndMarked>> done = AtOnce.start(tasks);
        for (int i = 0; i < songIds.size(); i++) {
            UUID id = songIds.get(i);
            PlannedAndMarked r = done.get(i).get(30, TimeUnit.SECONDS);
            assertTrue(r.firstMark(), "the plan's first mark");
            assertFalse(r.secondMark(), "a plan is marked once");
            assertEquals(id, r.plan().songId());
            assertEquals(ids(r.plan().clips()), ids(clips.findBySong(id)), "the song's rows are its own plan's");
            assertTrue(r.plan().clips().stream().allMatch(c -> r.plan().id().equals(planOf(c.id()))),
                    "every clip is in the plan");
            assertNotNull(planSentAt(id));
            assertEquals(List.of(), unsent(id, Duration.ZERO));
        }
    }

    @Test
    void plansOfOneSongAtOnceGiveOnePlanAndRefuseTheRest() throws Exception {
        UUID songId = song();
        List<Callable<ClipPlan>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> plan(songId));
        }
        List<ClipPlan> planned = new ArrayList<>();
        int busy = 0;
        for (Future<ClipPlan> t : AtOnce.start(tasks)) {
            try {
                planned.add(t.get(30, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                ClipRepository.PlanRefused refused = (ClipRepository.PlanRefused) e.getCause();
                assertEquals(ClipRepository.PlanRefusal.BUSY, refused.reason(), refused.getMessage());
                busy++;
            }
        }
        assertEquals(1, planned.size(), "one plan; the others found its clips queued");
        assertEquals(7, busy);
        assertEquals(ids(planned.get(0).clips()), ids(clips.findBySong(songId)));
    }

    @Test
    void aPlanMarkedSentIsSentForAllItsClipsWithoutTouchingTheirRows() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        assertEquals(CLIPS, plan.clips().size());
        assertTrue(plan.clips().stream().allMatch(c -> plan.id().equals(planOf(c.id()))), "every clip is in the plan");
        assertEquals(ids(plan.clips()), unsent(songId, Duration.ZERO), "before the mark: every clip is the relay's");

        assertTrue(clips.markPlanSent(songId, plan.id()));
        assertEquals(List.of(), unsent(songId, Duration.ZERO), "after the mark: none is");
        assertEquals(0, rowsMarkedSent(songId), "one row was written, not one per clip");
        assertFalse(clips.markPlanSent(songId, plan.id()), "a plan is marked once");
    }

    @Test
    void theClipsOfAnUnsentPlanGoToTheRelayOnceThePlanIsOlderThanTheAge() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        assertEquals(List.of(), unsent(songId, HOUR), "a young plan is left to its own send");
        db.update("UPDATE clip_plans SET created_at = :past WHERE song_id = :song",
                Map.of("past", Jdbc.now().minus(HOUR).minusSeconds(5), "song", songId));
        assertEquals(ids(plan.clips()), unsent(songId, HOUR), "in plan order");
        assertEquals(List.of(), sentAndWaiting(songId, Duration.ZERO), "an unsent plan's clips are not sent");

        // the relay sent and marked the first two on their rows: the rest are still the relay's
        clips.markSentAll(plan.clips().subList(0, 2).stream().map(Clip::jobId).toList());
        assertEquals(ids(plan.clips().subList(2, CLIPS)), unsent(songId, HOUR));
        assertEquals(new HashSet<>(ids(plan.clips().subList(0, 2))), new HashSet<>(sentAndWaiting(songId, Duration.ZERO)));
    }

    @Test
    void aPlanTheRelaySentClipByClipIsSettledAndThenCountsAsSent() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        assertEquals(0, settleAll(songId), "a plan with unsent clips is not settled");
        clips.markSentAll(plan.clips().stream().map(Clip::jobId).toList());
        assertEquals(List.of(), unsent(songId, Duration.ZERO));
        assertNull(planSentAt(songId));
        assertEquals(1, settleAll(songId));
        assertNotNull(planSentAt(songId), "the relay stops looking at it");
        assertFalse(clips.markPlanSent(songId, plan.id()), "a late first send changes nothing");
        assertEquals(new HashSet<>(ids(plan.clips())), new HashSet<>(sentAndWaiting(songId, Duration.ZERO)));
    }

    /** settleRelayedPlans settles every old plan; how many of this song's (0 or 1) is what the test checks. */
    private int settleAll(UUID songId) {
        OffsetDateTime before = planSentAt(songId);
        clips.settleRelayedPlans(Duration.ZERO);
        return before == null && planSentAt(songId) != null ? 1 : 0;
    }

    @Test
    void aJobRedisLostLeavesItsPlanAndIsSentOnItsOwn() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        Clip lost = plan.clips().get(3);
        assertFalse(clips.markUnsent(lost.id(), lost.jobId()), "not sent yet, so nothing to undo");
        assertTrue(clips.markPlanSent(songId, plan.id()));
        assertEquals(new HashSet<>(ids(plan.clips())), new HashSet<>(sentAndWaiting(songId, Duration.ZERO)),
                "plan-sent clips wait like any sent one");
        assertEquals(List.of(), sentAndWaiting(songId, HOUR), "not for longer than the age");

        assertTrue(clips.markUnsent(lost.id(), lost.jobId()));
        assertFalse(clips.markUnsent(lost.id(), lost.jobId()), "once");
        assertNull(planOf(lost.id()), "handled on its own from now on");
        assertEquals(List.of(lost.id()), unsent(songId, Duration.ZERO), "the relay sends it again, alone");
        assertEquals(lost.jobId(), clips.find(lost.id()).orElseThrow().jobId(), "with the same job id");
        assertFalse(sentAndWaiting(songId, Duration.ZERO).contains(lost.id()));

        clips.markSentAll(List.of(lost.jobId()));
        assertEquals(List.of(), unsent(songId, Duration.ZERO));
        assertTrue(sentAndWaiting(songId, Duration.ZERO).contains(lost.id()));
        assertEquals(1, rowsMarkedSent(songId), "its own row, the others still by their plan");
    }

    @Test
    void aReissuedClipLeavesItsPlanAndItsNewJobIsNotSentByThePlansMark() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        Clip first = plan.clips().get(0);
        assertTrue(clips.complete(first.id(), first.jobId(), "http://v/" + first.id()));
        Clip again = clips.reissue(first.id(), first.jobId(), List.of(ClipStatus.COMPLETED), true).orElseThrow();
        assertNotEquals(first.jobId(), again.jobId());
        assertNull(planOf(first.id()));

        assertTrue(clips.markPlanSent(songId, plan.id()));
        assertEquals(List.of(first.id()), unsent(songId, Duration.ZERO), "the new job is not the plan's");
        assertFalse(sentAndWaiting(songId, Duration.ZERO).contains(first.id()));
        clips.markSentAll(List.of(again.jobId()));
        assertEquals(List.of(), unsent(songId, Duration.ZERO));
        // oldest send first: the plan's clips, then the reissued one
        List<UUID> rest = ids(plan.clips()).subList(1, CLIPS);
        List<UUID> waiting = sentAndWaiting(songId, Duration.ZERO);
        assertEquals(new HashSet<>(rest), new HashSet<>(waiting.subList(0, CLIPS - 1)));
        assertEquals(first.id(), waiting.get(CLIPS - 1));
    }

    @Test
    void aReplanReplacesThePlanSoTheOldPlansMarkChangesNothing() {
        UUID songId = song();
        ClipPlan old = plan(songId);
        old.clips().forEach(c -> clips.complete(c.id(), c.jobId(), "http://v/" + c.id()));
        ClipPlan next = plan(songId);
        assertNotEquals(old.id(), next.id());
        assertFalse(clips.markPlanSent(songId, old.id()), "a send of the old plan does not mark the new one");
        assertEquals(ids(next.clips()), unsent(songId, Duration.ZERO));
        assertEquals(1L, db.query("SELECT COUNT(*) FROM clip_plans WHERE song_id = :song", Map.of("song", songId),
                rs -> rs.getLong(1)).get(0), "one plan row per song");
        assertTrue(clips.markPlanSent(songId, next.id()));
        assertEquals(List.of(), unsent(songId, Duration.ZERO));
    }

    @Test
    void clipsThatLeftTheQueueAreNotWaiting() {
        UUID songId = song();
        ClipPlan plan = plan(songId);
        assertTrue(clips.markPlanSent(songId, plan.id()));
        Clip taken = plan.clips().get(1);
        assertTrue(clips.markProcessing(taken.id(), taken.jobId(), "w"));
        assertFalse(sentAndWaiting(songId, Duration.ZERO).contains(taken.id()));
        assertFalse(clips.markUnsent(taken.id(), taken.jobId()), "a job a worker took is not undone");
        assertEquals(CLIPS - 1, sentAndWaiting(songId, Duration.ZERO).size());
    }
}
