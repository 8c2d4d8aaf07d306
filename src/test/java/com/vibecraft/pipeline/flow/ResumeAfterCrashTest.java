package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.storage.Database;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Songs a crash left 'analyzing' (or never started) are analysed when the service starts again. */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeAfterCrashTest {

    static final UUID MID_ANALYSIS = UUID.randomUUID();
    static final UUID NEVER_STARTED = UUID.randomUUID();

    @BeforeAll
    static void leftOverByACrash() throws Exception {
        Path dir = TestEnvironment.prepare("resume", Map.of());
        DataDirectory data = new DataDirectory(dir);
        try (HikariDataSource ds = Database.open(System.getProperty("vibecraft.database.url"),
                System.getProperty("vibecraft.database.user"), "", 2, data.database())) {
            SongRepository songs = new SongRepository(ds);
            for (UUID id : new UUID[] {MID_ANALYSIS, NEVER_STARTED}) {
                byte[] wav = TestAudio.wav(TestAudio.abab(22050, id.getLeastSignificantBits()), 22050);
                Path file = data.audio().resolve(id + ".wav");
                Files.write(file, wav);
                songs.insert(new NewSong(id, "left " + id, "left.wav", "audio/wav", "wav", wav.length,
                        id.toString().replace("-", "") + "0".repeat(32), data.relativize(file), 60.0));
            }
            songs.claimForAnalysis(MID_ANALYSIS);
            songs.updateProgress(MID_ANALYSIS, 40);
        }
    }

    @Test
    void unfinishedSongsAreAnalysedAfterRestart() {
        for (UUID id : new UUID[] {MID_ANALYSIS, NEVER_STARTED}) {
            JsonNode song = Http.awaitSong(TestEnvironment.baseUrl(), id.toString(), Duration.ofSeconds(60), "analyzed", "failed");
            assertEquals("analyzed", song.path("status").asText(), song.toString());
            assertEquals(100, song.path("progress").asInt());
            SongFlowTest.assertAbab(Http.get(TestEnvironment.baseUrl() + "/api/v1/songs/" + id + "/analysis").json());
        }
    }
}
