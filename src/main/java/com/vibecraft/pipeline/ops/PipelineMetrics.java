package com.vibecraft.pipeline.ops;

import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.flow.VideoSteps.CompositionReport;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.song.SongStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * The service's own meters beside Camel's route timings and the breakers' meters, all in one
 * Prometheus registry scraped by {@code GET /metrics}. Songs by status and the clip queue are read
 * from the database and Redis at most once per cache period, however often Prometheus scrapes.
 */
public class PipelineMetrics {

    static final String STARTED = "vibecraftAnalysisStartedNanos";
    /** Most waiting jobs counted one by one (Redis 6 has no group lag); the gauge stops there. */
    static final int WAITING_CAP = 100_000;

    private final PrometheusMeterRegistry registry;
    private final Cached<Map<SongStatus, Long>> songs;
    private final Cached<ClipJobQueue.Backlog> backlog;

    public PipelineMetrics(PrometheusMeterRegistry registry, SongRepository songRepository, ClipJobQueue queue,
                           Duration cacheFor) {
        this.registry = registry;
        this.songs = new Cached<>(songRepository::countByStatus, cacheFor);
        this.backlog = new Cached<>(() -> queue.backlog(WAITING_CAP), cacheFor);
        for (SongStatus st : SongStatus.values()) {
            Gauge.builder("vibecraft.songs", songs, c -> c.value(m -> m.get(st)))
                    .description("Songs by status (read from the database, cached)")
                    .tag("status", st.value()).register(registry);
        }
        gauge("vibecraft.clip.queue.length", "Entries on the clip job stream", ClipJobQueue.Backlog::length);
        gauge("vibecraft.clip.queue.waiting", "Clip jobs not yet taken by a worker", ClipJobQueue.Backlog::waiting);
        gauge("vibecraft.clip.queue.pending", "Clip jobs taken by a worker and not yet acknowledged",
                ClipJobQueue.Backlog::pending);
        gauge("vibecraft.clip.queue.dead", "Clip jobs on the dead-letter stream", ClipJobQueue.Backlog::dead);
    }

    private void gauge(String name, String description, java.util.function.ToLongFunction<ClipJobQueue.Backlog> f) {
        Gauge.builder(name, backlog, c -> c.value(b -> f.applyAsLong(b))).description(description).register(registry);
    }

    /** Analyze route: before the song is loaded. */
    public void analysisStarted(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    /** Analyze route: after the analysis is stored (the body is the {@link SongAnalysis}). */
    public void analysisFinished(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        SongAnalysis analysis = exchange.getMessage().getBody(SongAnalysis.class);
        if (started == null || analysis == null) {
            return;
        }
        long nanos = System.nanoTime() - started;
        String source = analysis.analysisSource() == null ? "local" : analysis.analysisSource();
        Timer.builder("vibecraft.analysis.duration")
                .description("Wall time of one song's analysis, from loading the audio to storing the sections")
                .tag("source", source)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (nanos > 0 && analysis.durationSec() > 0) {
            DistributionSummary.builder("vibecraft.analysis.realtime.factor")
                    .description("Seconds of audio analysed per second of wall time (x real time)")
                    .tag("source", source)
                    .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500)
                    .register(registry).record(analysis.durationSec() / (nanos / 1e9));
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** A value read at most once per period; NaN (no sample) while its source is unreachable. */
    static final class Cached<T> {
        private final Supplier<T> source;
        private final long periodNanos;
        private volatile T value;
        private volatile long readAt;
        private volatile boolean ok;

        Cached(Supplier<T> source, Duration period) {
            this.source = source;
            this.periodNanos = period.toNanos();
        }

        synchronized double value(java.util.function.Function<T, Long> f) {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt >= periodNanos) {
                readAt = now;
                try {
                    // a database or Redis that hangs must not hold up the scrape
                    value = TimeLimit.call(source::get, 2_000);
                    ok = true;
                } catch (Exception e) {
                    ok = false;
                }
            }
            Long v = ok && value != null ? f.apply(value) : null;
            return v == null ? Double.NaN : v;
        }
    }

    /** Video route: one composition ended (composed, failed, waiting, lost or interrupted). */
    public void compositionFinished(CompositionReport report) {
        if (report == null) {
            return;
        }
        Counter.builder("vibecraft.video.compositions")
                .description("Music video compositions by outcome")
                .tag("outcome", report.outcome())
                .register(registry).increment();
        if (!"composed".equals(report.outcome())) {
            return;
        }
        String path = report.streamCopied() ? "copy" : "encode";
        Timer.builder("vibecraft.video.composition.duration")
                .description("Wall time of one composed music video, fetching the clips included")
                .tag("path", path)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry).record(Math.round(report.wallSec() * 1e9), TimeUnit.NANOSECONDS);
        if (report.wallSec() > 0 && report.songSec() > 0) {
            DistributionSummary.builder("vibecraft.video.realtime.factor")
                    .description("Seconds of music video composed per second of wall time (x real time)")
                    .tag("path", path)
                    .serviceLevelObjectives(0.5, 1, 2, 5, 10, 20, 50, 100)
                    .register(registry).record(report.songSec() / report.wallSec());
        }
    }
}
