package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipPlan;
import com.vibecraft.pipeline.clips.ClipPlanner;
import com.vibecraft.pipeline.clips.ClipPrompts;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.domain.ConflictException;
import com.vibecraft.pipeline.domain.NotFoundException;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.song.SongStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java side of routes/40-clips-enqueue.camel.yaml: a song's sections in, its clip rows committed
 * and their jobs out (sent by {@link ClipDispatchSteps}); and the songs whose planning is still owed.
 */
public class ClipPlanSteps {

    static final String BEATS = FlowProperties.BEAT_TIMES;
    static final String ANALYSIS = "vibecraftAnalysis";
    static final String AUTOMATIC_PLAN = FlowProperties.AUTOMATIC_PLAN;

    private static final Logger LOG = LoggerFactory.getLogger(ClipPlanSteps.class);

    private final SongRepository songs;
    private final AnalysisStore analyses;
    private final ClipRepository clips;
    private final ClipPlanner planner;
    private final ClipPrompts prompts;
    private final ClipLinks links;

    public ClipPlanSteps(SongRepository songs, AnalysisStore analyses, ClipRepository clips, ClipPlanner planner, ClipPrompts prompts,
                         ClipLinks links) {
        this.songs = songs;
        this.analyses = analyses;
        this.clips = clips;
        this.planner = planner;
        this.prompts = prompts;
        this.links = links;
    }

    /** The analysed song's sections (body) for the planning split; beats kept for each section. */
    public List<Section> sectionsToPlan(Exchange exchange) {
        UUID songId = FlowProperties.songId(exchange);
        SongStatus status = songs.status(songId)
                .orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        SongAnalysis analysis = analyses.findAnalysis(songId).orElseThrow(() -> new ConflictException(
                "Song " + songId + " has no analysis yet (status: " + status.value() + "); clips need one."));
        if (status == SongStatus.ANALYZING) {
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

    /** Stores the planned clips (body: the clips of each section, in order) and returns the plan's jobs. */
    public PlanJobs commitPlan(Exchange exchange) {
        UUID songId = FlowProperties.songId(exchange);
        SongAnalysis analysis = exchange.getProperty(ANALYSIS, SongAnalysis.class);
        @SuppressWarnings("unchecked")
        List<List<PlannedClip>> perSection = exchange.getMessage().getBody(List.class);
        List<PlannedClip> planned = perSection.stream().flatMap(List::stream).toList();
        Map<String, Section> byId = analysis.sections().stream()
                .collect(Collectors.toMap(Section::id, Function.identity()));
        List<ClipDraft> drafts = new ArrayList<>(planned.size());
        for (PlannedClip p : planned) {
            Section s = byId.get(p.sectionId());
            drafts.add(new ClipDraft(p, s.type(), s.displayName(), prompts.prompt(s, analysis)));
        }
        ClipPlan plan;
        try {
            // automatic planning (routes/40-clips-enqueue.camel.yaml, plan-clips) happens once per request
            plan = clips.planClips(songId, drafts, Boolean.TRUE.equals(exchange.getProperty(AUTOMATIC_PLAN, Boolean.class)));
        } catch (ClipRepository.PlanRefused e) {
            throw e.reason() == ClipRepository.PlanRefusal.NO_SONG ? new NotFoundException(e.getMessage())
                    : new ConflictException(e.getMessage());
        }
        LOG.info("Song {}: {} clips planned over {} sections", songId, plan.clips().size(), analysis.sections().size());
        for (Clip c : plan.clips()) {
            LOG.info("Clip {} of song {} queued (job {})", c.id(), songId, c.jobId());
        }
        return new PlanJobs(songId, plan.id(), plan.clips().stream().map(links::job).toList());
    }

    /** Songs whose automatic planning did not happen (the service stopped, or clips were still busy). */
    public List<UUID> songsAwaitingPlan() {
        return clips.songsAwaitingPlan(Duration.ofSeconds(5), 20);
    }
}
