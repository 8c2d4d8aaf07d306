package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipPlanner;
import com.vibecraft.pipeline.clips.ClipPrompts;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipStatus;
import com.vibecraft.pipeline.clips.ClipSummary;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.domain.ConflictException;
import com.vibecraft.pipeline.domain.NotFoundException;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.song.SongStatus;
import com.vibecraft.pipeline.storage.DataDirectory;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java side of routes/40-clips-enqueue.camel.yaml, 70-clips-retry.camel.yaml and api-clips.camel.yaml:
 * plan input and commit, sending jobs after their rows are committed, the relay, retries (manual,
 * automatic, stalled) and the dead-letter stream.
 */
public class ClipSteps {

    static final String BEATS = FlowProperties.BEAT_TIMES;
    static final String ANALYSIS = "vibecraftAnalysis";
    static final String AUTOMATIC_PLAN = FlowProperties.AUTOMATIC_PLAN;

    private static final Logger LOG = LoggerFactory.getLogger(ClipSteps.class);

    private final SongRepository songs;
    private final ClipRepository clips;
    private final ClipJobQueue queue;
    private final ClipPlanner planner;
    private final ClipPrompts prompts;
    private final DataDirectory dataDirectory;
    private final String publicBaseUrl;
    private final String consumerName;
    private final Duration visibilityTimeout;

    public ClipSteps(SongRepository songs, ClipRepository clips, ClipJobQueue queue, ClipPlanner planner,
                     ClipPrompts prompts, DataDirectory dataDirectory, String publicBaseUrl, String consumerName,
                     Duration visibilityTimeout) {
        this.songs = songs;
        this.clips = clips;
        this.queue = queue;
        this.planner = planner;
        this.prompts = prompts;
        this.dataDirectory = dataDirectory;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
        this.consumerName = consumerName;
        this.visibilityTimeout = visibilityTimeout;
    }

    // ------------------------------------------------------------------ planning

    /** The analysed song's sections (body) for the planning split; beats kept for each section. */
    public List<Section> sectionsToPlan(Exchange exchange) {
        UUID songId = songId(exchange);
        Song song = songs.findById(songId).orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        SongAnalysis analysis = songs.findAnalysis(songId).orElseThrow(() -> new ConflictException(
                "Song " + songId + " has no analysis yet (status: " + song.status().value() + "); clips need one."));
        if (song.status() == SongStatus.ANALYZING) {
            // the stored analysis is about to be replaced: the new one's clips are planned when it is done
            throw new ConflictException("Song " + songId + " is being analysed; its clips are planned from the new "
                    + "analysis when it is done.");
        }
        try {
            planner.checkFits(analysis.sections());
        } catch (IllegalArgumentException e) {
            throw new ConflictException("Song " + songId + " cannot be planned: " + e.getMessage());
        }
        exchange.setProperty(BEATS, analysis.beatTimes());
        exchange.setProperty(ANALYSIS, analysis);
        return analysis.sections();
    }

    /** Stores the planned clips (body: the clips of each section, in order) and returns their jobs. */
    public List<ClipJob> commitPlan(Exchange exchange) {
        UUID songId = songId(exchange);
        SongAnalysis analysis = exchange.getProperty(ANALYSIS, SongAnalysis.class);
        @SuppressWarnings("unchecked")
        List<List<PlannedClip>> perSection = exchange.getMessage().getBody(List.class);
        List<PlannedClip> planned = perSection.stream().flatMap(List::stream).toList();
        Map<String, Section> byId = analysis.sections().stream()
                .collect(Collectors.toMap(Section::id, Function.identity()));
        List<ClipDraft> drafts = new ArrayList<>(planned.size());
        for (PlannedClip p : planned) {
            Section s = byId.get(p.sectionId());
            drafts.add(new ClipDraft(p, s.type(), s.displayName(), prompts.prompt(s, analysis.sections(), analysis.bpm())));
        }
        List<Clip> stored;
        try {
            // automatic planning (routes/40-clips-enqueue.camel.yaml, plan-clips) happens once per request
            stored = clips.replaceClips(songId, drafts, clips.styleSeed(songId),
                    Boolean.TRUE.equals(exchange.getProperty(AUTOMATIC_PLAN, Boolean.class)));
        } catch (ClipRepository.PlanRefused e) {
            throw e.reason() == ClipRepository.PlanRefusal.NO_SONG ? new NotFoundException(e.getMessage())
                    : new ConflictException(e.getMessage());
        }
        LOG.info("Song {}: {} clips planned over {} sections", songId, stored.size(), analysis.sections().size());
        for (Clip c : stored) {
            LOG.info("Clip {} of song {} queued (job {})", c.id(), songId, c.jobId());
        }
        return stored.stream().map(this::job).toList();
    }

    // ------------------------------------------------------------------ sending

    /** Puts one committed job (a retry) on the stream and records that it is there. */
    public void send(ClipJob job) {
        sendAll(List.of(job));
    }

    /** Puts committed jobs (a song's plan, or what the relay found) on the stream in one round trip, then records it. */
    public void sendAll(List<ClipJob> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            return;
        }
        queue.enqueueAll(jobs);
        clips.markSentAll(jobs.stream().map(ClipJob::jobId).toList());
        LOG.debug("{} clip jobs sent", jobs.size());
    }

    /** Jobs whose send did not happen (Redis was down), for the relay. */
    public List<ClipJob> unsentJobs() {
        return clips.unsent(Duration.ofSeconds(2), 200).stream().map(this::job).toList();
    }

    /** Songs whose automatic planning did not happen (the service stopped, or clips were still busy). */
    public List<UUID> songsAwaitingPlan() {
        return clips.songsAwaitingPlan(Duration.ofSeconds(5), 20);
    }

    // ------------------------------------------------------------------ retries

    /** {@code POST /songs/{songId}/clips/{clipId}/retry}: the clip with a new job, or 404/409. */
    public ClipJob retry(String songId, String clipId) {
        UUID song = parse(songId, "Clip " + clipId + " was not found.");
        UUID clip = parse(clipId, "Clip " + clipId + " was not found.");
        Clip c = clips.find(clip).filter(x -> x.songId().equals(song))
                .orElseThrow(() -> new NotFoundException("Clip " + clipId + " was not found for song " + songId + "."));
        if (c.status() == ClipStatus.QUEUED || c.status() == ClipStatus.PROCESSING) {
            throw new ConflictException("Clip " + clipId + " is already " + c.status().value() + ".");
        }
        Clip again = clips.reissue(clip, c.jobId(), List.of(ClipStatus.FAILED, ClipStatus.COMPLETED), true)
                .orElseThrow(() -> new ConflictException("Clip " + clipId + " is already being retried."));
        LOG.info("Clip {} of song {} queued again (retry requested, job {})", clip, song, again.jobId());
        return job(again);
    }

    public Clip clip(UUID clipId) {
        return clips.find(clipId).orElseThrow();
    }

    /** Failed clips whose backoff has passed get their next job. */
    public List<ClipJob> dueRetries() {
        List<ClipJob> jobs = new ArrayList<>();
        for (Clip c : clips.dueRetries(100)) {
            clips.reissue(c.id(), c.jobId(), List.of(ClipStatus.FAILED), false).ifPresent(again -> {
                LOG.info("Clip {} of song {} queued again (automatic retry after {} of {} attempts)", again.id(), again.songId(),
                        again.attempts(), again.maxAttempts());
                jobs.add(job(again));
            });
        }
        return jobs;
    }

    /**
     * Jobs a worker received but never acknowledged within the visibility timeout: the attempt counts;
     * with attempts left the clip gets a new job, otherwise it fails for good.
     */
    /**
     * Jobs the ledger has as sent but Redis no longer knows (it crashed and came back from an
     * append-only file a second behind): marked unsent, so the relay sends them again, same job id.
     */
    public int requeueLostJobs() {
        int lost = 0;
        for (Clip c : clips.sentAndWaiting(visibilityTimeout, 500)) {
            if (!queue.wasSent(c.jobId()) && clips.markUnsent(c.id(), c.jobId())) {
                LOG.warn("Clip {} job {} was lost by Redis: sending it again", c.id(), c.jobId());
                lost++;
            }
        }
        return lost;
    }

    public List<ClipJob> reclaimStalled() {
        List<ClipJob> jobs = new ArrayList<>();
        for (ClipJobQueue.Delivery<ClipJob> d : queue.reclaimStalled(consumerName + "-reclaimer",
                visibilityTimeout.toMillis(), 100)) {
            if (!d.malformed()) {
                ClipJob stalled = d.message();
                Optional<Clip> current = clips.find(stalled.clipId())
                        .filter(c -> c.jobId().equals(stalled.jobId()))
                        .filter(c -> c.status() == ClipStatus.QUEUED || c.status() == ClipStatus.PROCESSING);
                if (current.isPresent()) {
                    Clip c = current.get();
                    if (clips.retryPolicy().attemptsLeft(c.attempts())) {
                        clips.reissue(c.id(), c.jobId(), List.of(ClipStatus.QUEUED, ClipStatus.PROCESSING), false)
                                .ifPresent(again -> {
                                    LOG.warn("Clip {} job {} stalled (no ack within {} s): re-sent as job {}",
                                            c.id(), c.jobId(), visibilityTimeout.toSeconds(), again.jobId());
                                    jobs.add(job(again));
                                });
                    } else {
                        clips.fail(c.id(), c.jobId(), "No worker finished the job within the visibility timeout of "
                                + visibilityTimeout.toSeconds() + " s, " + c.attempts() + " times.");
                        LOG.warn("Clip {} of song {} failed: job {} stalled with no attempts left", c.id(), c.songId(), c.jobId());
                    }
                }
            } else {
                LOG.warn("Dropping a reclaimed {}", d.problem());
            }
            queue.ackJob(d.entryId());
        }
        return jobs;
    }

    /** Clips out of attempts go to the dead-letter stream with their last error, once. */
    public int deadLetterExhausted() {
        int n = 0;
        for (Clip c : clips.awaitingDeadLetter(100)) {
            // once per job even when several instances sweep at the same time
            if (queue.deadLetter(job(c), c.error()) != null) {
                LOG.warn("Clip {} of song {} failed {} times: dead-lettered ({})", c.id(), c.songId(), c.attempts(), c.error());
                n++;
            }
            clips.markDeadLettered(c.id(), c.jobId());
        }
        return n;
    }

    // ------------------------------------------------------------------ reading

    public List<Clip> clipsOf(String songId) {
        UUID id = parse(songId, "Song " + songId + " was not found.");
        songs.findById(id).orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        return clips.findBySong(id);
    }

    public ClipSummary summary(String songId) {
        UUID id = parse(songId, "No clip plans found for this song.");
        Song song = songs.findById(id).orElseThrow(() -> new NotFoundException("No clip plans found for this song."));
        List<Clip> list = clips.findBySong(id);
        if (list.isEmpty()) {
            throw new NotFoundException("No clip plans found for this song.");
        }
        return ClipSummary.of(id, song.durationSec(), list);
    }

    /** The preview video of a clip, if the built-in preview generator made one. */
    public File videoFile(String clipId) {
        UUID id = parse(clipId, "Clip " + clipId + " was not found.");
        clips.find(id).orElseThrow(() -> new NotFoundException("Clip " + clipId + " was not found."));
        File f = dataDirectory.resolve("clips/" + id + ".mp4").toFile();
        if (!f.isFile()) {
            throw new NotFoundException("Clip " + clipId + " has no preview video (yet).");
        }
        return f;
    }

    // ------------------------------------------------------------------ helpers

    ClipJob job(Clip c) {
        return new ClipJob(c.id(), c.jobId(), c.songId(), c.sectionId(), c.sectionType(), c.sectionDisplayName(),
                c.startSec(), c.endSec(), c.durationSec(), c.fps(), c.numFrames(), c.prompt(), c.styleSeed(),
                c.attempts(), publicBaseUrl + "/api/v1/songs/" + c.songId() + "/audio");
    }

    public String videoUrl(UUID clipId) {
        return publicBaseUrl + "/api/v1/clips/" + clipId + "/video";
    }

    private static UUID parse(String id, String notFound) {
        return NotFoundException.parseId(id, notFound);
    }

    private static UUID songId(Exchange exchange) {
        Object v = exchange.getProperty(FlowProperties.SONG_ID);
        return v instanceof UUID u ? u : parse(String.valueOf(v), "Song " + v + " was not found.");
    }
}
