package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.support.TestRedis;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/** The Redis Streams protocol of the clip queue, against a real Redis. */
class ClipJobQueueTest {

    static TestRedis redis;
    String prefix;
    ClipJobQueue queue;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "test-" + UUID.randomUUID();
        queue = new ClipJobQueue(redis.jedis(), prefix);
        queue.ensureGroups();
        queue.ensureGroups(); // BUSYGROUP is fine
    }

    static ClipJob job() {
        return new ClipJob(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "s3", "chorus", "Chorus 2", 12.5,
                17.0, 4.5, 8, 36, "a prompt, with: punctuation", 1234567L, 1, "http://localhost:8080/api/v1/songs/x/audio");
    }

    @Test
    void aJobIsEnqueuedOnceAndReadBackWithEveryField() {
        ClipJob job = job();
        assertNotNull(queue.enqueue(job));
        assertNull(queue.enqueue(job), "the same job id is never put on the stream twice");
        assertEquals(1, queue.jobsLength());

        List<ClipJobQueue.Delivery<ClipJob>> got = queue.readJobs("w1", 10, 100);
        assertEquals(1, got.size());
        assertEquals(job, got.get(0).message());
        Map<String, String> fields = redis.jedis().xrange(queue.jobsKey(), (StreamEntryID) null, (StreamEntryID) null)
                .get(0).getFields();
        assertEquals("36", fields.get("numFrames"));
        assertTrue(fields.get("json").contains("\"prompt\":\"a prompt, with: punctuation\""));
        assertEquals(1, queue.pendingJobs());
        queue.ackJob(got.get(0).entryId());
        assertEquals(0, queue.pendingJobs());
        assertEquals(0, queue.readJobs("w1", 10, 100).size());
    }

    /** A real connection to the test's Redis that records the name of every command it sends. */
    static final class CountingConnection extends Connection {
        final List<String> sent = new ArrayList<>();

        CountingConnection(URI uri) {
            super(new HostAndPort(uri.getHost(), uri.getPort()));
        }

        @Override
        public void sendCommand(CommandArguments args) {
            // null while the superclass's constructor still runs (its handshake is not counted)
            if (sent != null) {
                sent.add(args.getCommand().toString());
            }
            super.sendCommand(args);
        }
    }

    @Test
    void aSongsJobsGoOnTheStreamInOneCommandEachOnceInOrder() {
        List<ClipJob> jobs = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            jobs.add(job());
        }
        CountingConnection connection = new CountingConnection(URI.create(redis.url()));
        try (UnifiedJedis counted = new UnifiedJedis(connection)) {
            ClipJobQueue viaCounted = new ClipJobQueue(counted, prefix);
            List<String> ids = viaCounted.enqueueAll(jobs);
            assertEquals(List.of("EVAL"), connection.sent, "one command for the whole song");
            assertEquals(36, ids.size());
            assertEquals(36, new HashSet<>(ids).size(), "an entry id per job: " + ids);
            assertTrue(ids.stream().allMatch(id -> id != null));

            List<StreamEntry> entries = redis.jedis().xrange(queue.jobsKey(), (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(ids, entries.stream().map(e -> e.getID().toString()).toList(), "on the stream in plan order");
            assertEquals(jobs, entries.stream().map(e -> ClipJobQueue.parseJob(e.getFields())).toList());

            // sent again (say the relay, after the database missed the send): nothing is added
            List<ClipJob> again = new ArrayList<>(jobs);
            ClipJob fresh = job();
            again.add(17, fresh);
            List<String> second = viaCounted.enqueueAll(again);
            assertEquals(List.of("EVAL", "EVAL"), connection.sent);
            for (int i = 0; i < again.size(); i++) {
                if (i == 17) {
                    assertNotNull(second.get(i), "the one never sent goes on the stream");
                } else {
                    assertNull(second.get(i), "job " + i + " was already sent");
                }
            }
            assertEquals(37, queue.jobsLength());
        }
    }

    @Test
    void anUnacknowledgedJobIsReclaimedAfterItsIdleTime() throws Exception {
        queue.enqueue(job());
        String entry = queue.readJobs("dies", 1, 100).get(0).entryId();
        assertEquals(0, queue.reclaimStalled("rescuer", 60_000, 10).size(), "not idle long enough yet");
        Thread.sleep(300);
        List<ClipJobQueue.Delivery<ClipJob>> reclaimed = queue.reclaimStalled("rescuer", 200, 10);
        assertEquals(1, reclaimed.size());
        assertEquals(entry, reclaimed.get(0).entryId());
    }

    @Test
    void resultsRoundTripAndUnacknowledgedOnesAreReadAgain() {
        UUID clip = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        queue.publishResult(ClipResult.completed(clip, jobId, "http://v/1.mp4"));
        queue.publishResult(ClipResult.failed(clip, jobId, "boom"));
        List<ClipJobQueue.Delivery<ClipResult>> first = queue.readResults("r1", 1, 100);
        assertEquals(ClipResult.completed(clip, jobId, "http://v/1.mp4"), first.get(0).message());
        // not acknowledged (say the database was down): the same entry comes back first
        List<ClipJobQueue.Delivery<ClipResult>> again = queue.readResults("r1", 1, 100);
        assertEquals(first.get(0).entryId(), again.get(0).entryId());
        queue.ackResult(again.get(0).entryId());
        List<ClipJobQueue.Delivery<ClipResult>> next = queue.readResults("r1", 5, 100);
        assertEquals(ClipResult.failed(clip, jobId, "boom"), next.get(0).message());
    }

    @Test
    void malformedEntriesAreReportedNotThrown() {
        redis.jedis().xadd(queue.resultsKey(), StreamEntryID.NEW_ENTRY, Map.of("clipId", "nope", "status", "completed"));
        redis.jedis().xadd(queue.jobsKey(), StreamEntryID.NEW_ENTRY, Map.of("clipId", "x"));
        assertTrue(queue.readResults("r", 5, 100).get(0).malformed());
        assertTrue(queue.readJobs("w", 5, 100).get(0).malformed());
    }

    @Test
    void lostGroupsAreRecreated() {
        redis.jedis().del(queue.jobsKey(), queue.resultsKey());
        assertEquals(0, queue.readJobs("w", 1, 100).size());
        queue.enqueue(job());
        assertEquals(1, queue.readJobs("w", 1, 100).size());
    }

    @Test
    void deadLettersKeepTheJobAndItsError() {
        ClipJob job = job();
        queue.deadLetter(job, "gave up");
        Map<String, String> f = redis.jedis().xrange(queue.deadKey(), (StreamEntryID) null, (StreamEntryID) null)
                .get(0).getFields();
        assertEquals(job.clipId().toString(), f.get("clipId"));
        assertEquals("gave up", f.get("error"));
    }
}
