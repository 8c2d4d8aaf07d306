package com.vibecraft.pipeline.song;

import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The song list's pages on the real database (H2, or PostgreSQL in CI): order, paging and each song's clip counts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SongListTest {

    static final int SONGS = 30;

    HikariDataSource ds;
    SongRepository songs;
    /** Song ids, oldest first, and how many clips each was planned with. */
    final List<UUID> ids = new ArrayList<>();
    final List<Integer> clipCounts = new ArrayList<>();

    @BeforeAll
    void songsWithClips() {
        ds = TestEnvironment.database(TestEnvironment.prepare("song-list", Map.of()), 5);
        songs = new SongRepository(ds);
        ClipRepository clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
        for (int i = 0; i < SONGS; i++) {
            UUID id = UUID.randomUUID();
            songs.insert(new NewSong(id, "song " + i, "s.wav", "audio/wav", "wav", 1,
                    id.toString().replace("-", "") + "0".repeat(32), "audio/" + id + ".wav", 60.0));
            int n = 1 + i % 7;
            List<ClipDraft> drafts = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                drafts.add(new ClipDraft(new PlannedClip("s1", 4.0 * c, 4.0 * c + 4, null, null, 8, 32), "verse",
                        "Verse 1", "prompt"));
            }
            clips.replaceClips(id, drafts, 7L);
            ids.add(id);
            clipCounts.add(n);
        }
    }

    @AfterAll
    void close() {
        ds.close();
    }

    @Test
    void pagesAreNewestFirstWithEachSongsOwnClipCounts() {
        List<Song> seen = new ArrayList<>();
        for (int offset = 0; offset < SONGS + 10; offset += 7) {
            List<Song> page = songs.list(7, offset);
            assertTrue(page.size() <= 7, "page larger than its limit: " + page.size());
            for (Song s : page) {
                if (ids.contains(s.id())) {
                    seen.add(s);
                    int k = ids.indexOf(s.id());
                    assertEquals(clipCounts.get(k), s.clips().total(), "clips of " + s.title());
                    assertEquals(clipCounts.get(k), s.clips().queued(), "queued clips of " + s.title());
                }
            }
        }
        // this class's songs, each once, newest first (the database may hold other tests' songs too;
        // songs written in the same instant come in id order)
        assertEquals(SONGS, seen.size());
        assertEquals(SONGS, seen.stream().map(Song::id).distinct().count());
        for (int i = 1; i < seen.size(); i++) {
            Song newer = seen.get(i - 1);
            Song older = seen.get(i);
            assertTrue(ids.indexOf(newer.id()) > ids.indexOf(older.id()) || newer.createdAt().equals(older.createdAt()),
                    newer.title() + " listed before " + older.title());
        }
    }

    @Test
    void aPageBeyondTheEndIsEmpty() {
        long all = songs.count();
        assertEquals(List.of(), songs.list(10, (int) all + 5));
        assertEquals(Math.min(all, 500), songs.list(500, 0).size());
    }
}
