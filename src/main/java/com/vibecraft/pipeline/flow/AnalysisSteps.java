package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.analysis.AnalysisAssembler;
import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.RawSegment;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import com.vibecraft.pipeline.audio.DecodedAudioCache;
import com.vibecraft.pipeline.audjust.AudjustFailures;
import com.vibecraft.pipeline.audjust.AudjustSettings;
import com.vibecraft.pipeline.song.ClaimLostException;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.AnalysisClaims;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of routes/20-analyze.camel.yaml that need Java: load and decode, run the local detector,
 * name the sections and store them. The exchange carries the song in properties between steps.
 */
public class AnalysisSteps {

    static final String SONG_ID = FlowProperties.SONG_ID;
    static final String AUDIO = "vibecraftAudio";
    static final String SONG_FILE = "songFile";
    static final String DETECTION = "vibecraftDetection";
    static final String SOURCE = FlowProperties.ANALYSIS_SOURCE;
    static final String FALLBACK_REASON = FlowProperties.FALLBACK_REASON;

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisSteps.class);

    private final SongRepository songs;
    private final AnalysisClaims claims;
    private final AnalysisStore store;
    private final DataDirectory dataDirectory;
    private final AudioDecoder decoder;
    private final DecodedAudioCache decoded;
    private final LocalStructureDetector detector;
    private final AnalysisAssembler assembler;
    private final double maxDurationSec;
    private final AudjustSettings audjust;
    /** Built before the routes start, so before this run has queued any song. */
    private final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);

    public AnalysisSteps(SongRepository songs, AnalysisClaims claims, AnalysisStore store, DataDirectory dataDirectory, AudioDecoder decoder,
                         DecodedAudioCache decoded, LocalStructureDetector detector, AnalysisAssembler assembler, double maxDurationSec,
                         AudjustSettings audjust) {
        this.songs = songs;
        this.claims = claims;
        this.store = store;
        this.dataDirectory = dataDirectory;
        this.decoder = decoder;
        this.decoded = decoded;
        this.detector = detector;
        this.assembler = assembler;
        this.maxDurationSec = maxDurationSec;
        this.audjust = audjust;
    }

    /** Songs an earlier run or a dead instance left unfinished (a crash mid-analysis, or never queued). */
    public List<UUID> unfinishedSongs() {
        return claims.findUnfinished(startedAt);
    }

    /** Claims an unfinished song for this instance; false when another instance has it. */
    public boolean takeOver(UUID songId) {
        return claims.takeOver(songId, startedAt);
    }

    /** The analysis of this song ended on this instance, well or not: its lease is no longer renewed. */
    public void ended(String songId) {
        if (songId != null) {
            try {
                claims.release(UUID.fromString(songId));
            } catch (IllegalArgumentException notAnId) {
                // nothing was claimed under it
            }
        }
    }

    /** Loads the song and decodes its audio; the song is already {@code analyzing}. */
    public void begin(Exchange exchange) throws Exception {
        UUID id = FlowProperties.songId(exchange);
        Song song = songs.findById(id).orElseThrow(() -> new IllegalStateException("Song " + id + " no longer exists"));
        // counts the run, and stops here if another instance took the song over while it waited
        claims.beginAnalysis(id);
        Path file = dataDirectory.resolve(song.storagePath());
        DecodedAudio audio = decoded.get(id, () -> decoder.decode(file, maxDurationSec));
        exchange.setProperty(AUDIO, audio);
        exchange.setProperty(SONG_FILE, file.toFile());
        claims.updateProgress(id, 10);
        LOG.info("Song {} analysis started ({} s of audio)", id, Math.round(audio.durationSec()));
    }

    /** The local detector: raw segments in the body, beats kept for {@link #finish}. */
    public List<RawSegment> detectLocally(Exchange exchange) {
        UUID id = FlowProperties.songId(exchange);
        DecodedAudio audio = exchange.getProperty(AUDIO, DecodedAudio.class);
        ProgressReporter progress = new ProgressReporter(p -> claims.updateProgress(id, p), 20, 80);
        DetectorResult result = detector.detect(audio, progress);
        exchange.setProperty(DETECTION, result);
        exchange.setProperty(SOURCE, "local");
        return result.segments();
    }

    /** Why the breaker fell back: the call's error, a timeout, or the breaker being open; safe to show. */
    public String audjustFailure(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e == null) {
            e = exchange.getException();
        }
        String reason;
        if (e != null && e.getMessage() != null && !e.getMessage().isBlank()) {
            reason = AudjustFailures.describe(e, audjust);
        } else if (flag(exchange, ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SHORT_CIRCUITED)) {
            reason = "the circuit breaker audjust-breaker is OPEN";
        } else if (flag(exchange, ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_TIMED_OUT)) {
            reason = "the call timed out";
        } else {
            reason = e == null ? "unknown error" : e.getClass().getSimpleName();
        }
        return "Audjust failed: " + reason;
    }

    private static boolean flag(Exchange exchange, ExchangePropertyKey key) {
        return Boolean.TRUE.equals(exchange.getProperty(key, Boolean.class));
    }

    /** Names the sections of the raw segments in the body and stores the analysis. */
    public SongAnalysis finish(Exchange exchange) {
        UUID id = FlowProperties.songId(exchange);
        DecodedAudio audio = exchange.getProperty(AUDIO, DecodedAudio.class);
        @SuppressWarnings("unchecked")
        List<RawSegment> segments = exchange.getMessage().getBody(List.class);
        DetectorResult beats = exchange.getProperty(DETECTION, DetectorResult.class);
        if (beats == null) {
            // Audjust gives sections only; beats and tempo always come from our own tracker
            beats = detector.detect(audio, new ProgressReporter(p -> claims.updateProgress(id, p), 40, 80));
        }
        String source = exchange.getProperty(SOURCE, "local", String.class);
        String reason = exchange.getProperty(FALLBACK_REASON, String.class);
        SongAnalysis analysis = assembler.assemble(id, audio, segments, beats, source, reason);
        store.saveAnalysis(id, analysis);
        exchange.removeProperty(AUDIO);
        LOG.info("Song {} analysed by {}: {} sections, {} BPM{}", id, source, analysis.sections().size(),
                analysis.bpm(), reason == null ? "" : " (fallback: " + reason + ")");
        return analysis;
    }

    /** The analysis failed as a whole: the song says why, and nothing half-written remains. */
    public void fail(Exchange exchange) {
        UUID id = FlowProperties.songId(exchange);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e instanceof ClaimLostException) {
            LOG.info("Song {}: analysis dropped here: another instance has taken it over", id);
            return;
        }
        if (causedBy(e, com.vibecraft.pipeline.storage.StorageException.class)) {
            // not the song's fault: no 'failed' mark; the claim is let go, its lease runs out and the
            // song is analysed again (here or by another instance) once the database answers
            claims.release(id);
            LOG.warn("Song {}: analysis interrupted, the database was not available; it is analysed again once "
                    + "its claim has run out", id);
            return;
        }
        String message = "Analysis failed: " + failureText(e);
        LOG.warn("Song {} failed: {}", id, message);
        claims.markFailed(id, message);
    }

    /** A reason for the song's error field: no server paths, no stack traces. */
    static String failureText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.NoSuchFileException) {
                return "the stored audio file is missing.";
            }
            if (t instanceof java.nio.file.AccessDeniedException) {
                return "the stored audio file cannot be read.";
            }
            if (t instanceof com.vibecraft.pipeline.audio.UndecodableAudioException) {
                return t.getMessage();
            }
        }
        return e == null || e.getMessage() == null ? "unexpected error" : e.getMessage();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
