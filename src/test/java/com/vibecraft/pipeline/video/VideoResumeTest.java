package com.vibecraft.pipeline.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.song.AnalysisClaims;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a crash leaves behind: a composition claimed by an instance that died (its lease runs out 3 s
 * after the start) is taken over and finished by the restarted service; a song whose clips are not
 * all completed cannot be composed (409 naming the counts) and has no video (404).
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoResumeTest {

    static final int RATE = 22050;
    static final double SECONDS = 12;
    static final UUID MID_COMPOSITION = UUID.randomUUID();
    static final UUID CLIPS_QUEUED = UUID.randomUUID();
    static final Duration LEASE = Duration.ofSeconds(3);

    static HikariDataSource ds;
    static OffsetDateTime crashedLeaseEnds;

    @BeforeAll
    static void leftOverByACrash() throws Exception {
        // no worker: the queued song's clips stay queued
        Path dir = TestEnvironment.prepare("video-resume", Map.of("vibecraft.redis.prefix", "videoresume-" + System.nanoTime(),
                "vibecraft.worker.enabled", "false", "vibecraft.compose.size", "320x180",
                "vibecraft.instance-id", "restarted"));
        DataDirectory data = new DataDirectory(dir);
        ds = TestEnvironment.database(dir, 2);
        SongRepository songs = new SongRepository(ds);
        ClipRepository clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
        String ownBase = "http://localhost:" + System.getProperty("vibecraft.port");
        PreviewClipRenderer renderer = new PreviewClipRenderer();
        for (UUID id : new UUID[] {MID_COMPOSITION, CLIPS_QUEUED}) {
            float[] samples = TestAudio.sine(RATE, SECONDS, 220, 0.5);
            byte[] wav = TestAudio.wav(samples, RATE);
            Path file = data.audio().resolve(id + ".wav");
            Files.write(file, wav);
            songs.insert(new NewSong(id, "left " + id, "left.wav", "audio/wav", "wav", wav.length,
                    id.toString().replace("-", "") + "0".repeat(32), data.relativize(file), SECONDS));
            // analysed and planned before the crash (an unanalysed song would be analysed and re-planned)
            assertTrue(new AnalysisClaims(ds).claimForAnalysis(id));
            new AnalysisStore(ds, "local").saveAnalysis(id, new SongAnalysis(id, SECONDS, 120, List.of(), List.of(new Section("s1", 0, "verse",
                    "verse", "Verse", 0, 0, 0, SECONDS, 1, 0.5)), "local", null, null, null, null));
            List<ClipDraft> drafts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                drafts.add(new ClipDraft(new PlannedClip("s1", i * 4, i * 4 + 4, null, null, 8, 32), "verse", "Verse", "p"));
            }
            List<Clip> planned = clips.replaceClips(id, drafts, 5L);
            if (id.equals(MID_COMPOSITION)) {
                for (Clip c : planned) {
                    Path mp4 = data.dir("clips").resolve(c.id() + ".mp4");
                    renderer.render(samples, RATE, c.startSec(), c.endSec(), 8, 32, "Verse", mp4);
                    assertTrue(clips.complete(c.id(), c.jobId(), ownBase + "/api/v1/clips/" + c.id() + "/video"));
                }
            }
        }
        // an instance that died mid-composition: its lease runs out 3 s from now and nobody renews it
        VideoRepository crashed = new VideoRepository(ds, "crashed-instance", LEASE);
        assertTrue(crashed.request(MID_COMPOSITION));
        assertEquals(Optional.of(MID_COMPOSITION), crashed.claimNext(OffsetDateTime.now()));
        assertTrue(crashed.progress(MID_COMPOSITION, 40));
        crashedLeaseEnds = OffsetDateTime.now().plus(LEASE);
    }

    @AfterAll
    static void closeDatabase() {
        ds.close();
    }

    @Test
    void aDeadInstancesCompositionIsFinishedAfterItsLeaseAndIncompleteClipsAreRefused() throws Exception {
        String base = TestEnvironment.baseUrl();
        String queued = base + "/api/v1/songs/" + CLIPS_QUEUED;
        Http.Response refused = Http.post(queued + "/video");
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.json().path("detail").asText().contains("3 of 3 clips are not completed (3 queued, 0 processing, 0 failed)"),
                refused.body());
        assertEquals("waiting", Http.get(queued + "/video/status").json().path("status").asText());
        Http.Response none = Http.get(queued + "/video");
        assertEquals(404, none.status());
        assertTrue(none.json().path("detail").asText().contains("no video yet"), none.body());

        String mid = base + "/api/v1/songs/" + MID_COMPOSITION;
        JsonNode v = Await.value(Duration.ofSeconds(60), 100, () -> Http.get(mid + "/video/status").json(),
                x -> !"waiting".equals(x.path("status").asText()) && !"composing".equals(x.path("status").asText()),
                "the dead instance's composition taken over and ended");
        assertEquals("composed", v.path("status").asText(), String.valueOf(v));
        assertEquals(SECONDS, v.path("durationSec").asDouble(), 1.0 / 24 + 1e-6);
        assertTrue(OffsetDateTime.parse(v.path("composedAt").asText()).isAfter(crashedLeaseEnds),
                "taken over before the dead instance's lease ended: " + v);
        assertEquals(2, new VideoRepository(ds, "reader", LEASE).runs(MID_COMPOSITION), "the dead run and the resumed one");
        assertEquals(200, Http.get(mid + "/video").status());
    }
}
