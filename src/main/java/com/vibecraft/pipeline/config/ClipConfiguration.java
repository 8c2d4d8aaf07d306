package com.vibecraft.pipeline.config;

import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudioCache;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipPlanner;
import com.vibecraft.pipeline.clips.ClipPrompts;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.HttpClipGenerator;
import com.vibecraft.pipeline.clips.PreviewClipGenerator;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.clips.http.HttpVideoGenerator;
import com.vibecraft.pipeline.clips.http.HttpVideoSettings;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.flow.ClipResultSteps;
import com.vibecraft.pipeline.api.ClipApi;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.flow.ClipDispatchSteps;
import com.vibecraft.pipeline.flow.ClipPlanSteps;
import com.vibecraft.pipeline.flow.ClipWorkerSteps;
import com.vibecraft.pipeline.redis.RedisConnection;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The clip side: planner, ledger, Redis queue, worker and generators, from {@code vibecraft.clips.*}. */
@Configuration
public class ClipConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClipConfiguration.class);

    @Override
    public void configure(CamelContext camelContext) {
        ClipJobQueue queue = camelContext.getRegistry().lookupByNameAndType("clipJobQueue", ClipJobQueue.class);
        try {
            queue.ensureGroups();
        } catch (RuntimeException e) {
            // an external Redis that is down now: the pollers create the groups once it is back
            LOG.warn("Redis consumer groups not created yet: {}", e.getMessage());
        }
        String generator = camelContext.resolvePropertyPlaceholders("{{vibecraft.clip-generator}}").trim();
        if (!generator.equals("preview") && !generator.equals("http")) {
            throw new IllegalArgumentException("vibecraft.clip-generator (VIBECRAFT_CLIP_GENERATOR) must be preview or http, got '"
                    + generator + "'");
        }
        if (generator.equals("http")) {
            camelContext.getRegistry().lookupByNameAndType("httpVideoGenerator", HttpClipGenerator.class);
        }
    }

    @BindToRegistry(lazy = true)
    public ClipPlanner clipPlanner(@PropertyInject("vibecraft.clips.min-sec") double minSec,
                                   @PropertyInject("vibecraft.clips.max-sec") double maxSec,
                                   @PropertyInject("vibecraft.clips.fps") int fps,
                                   @PropertyInject("vibecraft.clips.max-per-song") int maxPerSong) {
        return new ClipPlanner(minSec, maxSec, fps, maxPerSong);
    }

    @BindToRegistry(lazy = true)
    public RetryPolicy clipRetryPolicy(@PropertyInject("vibecraft.clips.max-attempts") int maxAttempts,
                                       @PropertyInject("vibecraft.clips.retry.base-delay-sec") double baseSec,
                                       @PropertyInject("vibecraft.clips.retry.factor") double factor,
                                       @PropertyInject("vibecraft.clips.retry.max-delay-sec") double maxSec,
                                       @PropertyInject("vibecraft.clips.retry.jitter") double jitter) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(Math.round(baseSec * 1000)), factor,
                Duration.ofMillis(Math.round(maxSec * 1000)), jitter);
    }

    @BindToRegistry(lazy = true)
    public ClipRepository clipRepository(HikariDataSource dataSource, RetryPolicy clipRetryPolicy) {
        return new ClipRepository(dataSource, clipRetryPolicy);
    }

    @BindToRegistry(lazy = true)
    public ClipJobQueue clipJobQueue(RedisConnection redisConnection,
                                     @PropertyInject("vibecraft.redis.prefix") String prefix) {
        return new ClipJobQueue(redisConnection.jedis(), prefix);
    }

    @BindToRegistry(lazy = true)
    public ClipLinks clipLinks(@PropertyInject("vibecraft.public-base-url") String publicBaseUrl) {
        return new ClipLinks(publicBaseUrl);
    }

    @BindToRegistry(lazy = true)
    public ClipPlanSteps clipPlanSteps(SongRepository songRepository, AnalysisStore analysisStore,
                                       ClipRepository clipRepository,
                                       ClipPlanner clipPlanner, ClipLinks clipLinks,
                                       @PropertyInject("vibecraft.clips.prompt-template") String template) {
        return new ClipPlanSteps(songRepository, analysisStore, clipRepository, clipPlanner, new ClipPrompts(template), clipLinks);
    }

    @BindToRegistry(lazy = true)
    public ClipDispatchSteps clipDispatchSteps(ClipRepository clipRepository, ClipJobQueue clipJobQueue,
                                               ClipLinks clipLinks,
                                               @PropertyInject("vibecraft.instance-id") String instanceId,
                                               @PropertyInject("vibecraft.clips.visibility-timeout-sec") int visibilitySec) {
        Settings.positive("vibecraft.clips.visibility-timeout-sec", visibilitySec);
        return new ClipDispatchSteps(clipRepository, clipJobQueue, clipLinks, consumerName(instanceId),
                Duration.ofSeconds(visibilitySec));
    }

    @BindToRegistry(lazy = true)
    public ClipApi clipApi(SongRepository songRepository, ClipRepository clipRepository, DataDirectory dataDirectory) {
        return new ClipApi(songRepository, clipRepository, dataDirectory);
    }

    @BindToRegistry(lazy = true)
    public ClipWorkerSteps clipWorkerSteps(ClipJobQueue clipJobQueue, ClipRepository clipRepository,
                                           @PropertyInject("vibecraft.instance-id") String instanceId,
                                           @PropertyInject("vibecraft.worker.concurrency") int concurrency) {
        Settings.positive("vibecraft.worker.concurrency", concurrency);
        return new ClipWorkerSteps(clipJobQueue, clipRepository, consumerName(instanceId) + "-worker", concurrency);
    }

    @BindToRegistry(lazy = true)
    public ClipResultSteps clipResultSteps(ClipJobQueue clipJobQueue, ClipRepository clipRepository,
                                           ClipDispatchSteps clipDispatchSteps,
                                           @PropertyInject("vibecraft.instance-id") String instanceId,
                                           @PropertyInject("vibecraft.clips.visibility-timeout-sec") int visibilitySec) {
        return new ClipResultSteps(clipJobQueue, clipRepository, clipDispatchSteps, consumerName(instanceId) + "-results",
                Duration.ofSeconds(visibilitySec));
    }

    @BindToRegistry(lazy = true)
    public PreviewClipGenerator previewClipGenerator(SongRepository songRepository, DataDirectory dataDirectory,
                                                     AudioDecoder audioDecoder, DecodedAudioCache decodedAudioCache,
                                                     ClipLinks clipLinks,
                                                     @PropertyInject("vibecraft.preview.size") String size) {
        return new PreviewClipGenerator(songRepository, dataDirectory, audioDecoder, decodedAudioCache,
                previewRenderer(size), clipLinks::videoUrl);
    }

    /** {@code WIDTHxHEIGHT} of the preview clips. */
    static PreviewClipRenderer previewRenderer(String size) {
        String setting = "vibecraft.preview.size (VIBECRAFT_PREVIEW_SIZE)";
        FrameSize wh = FrameSize.parse(size, setting, "320x180");
        try {
            return new PreviewClipRenderer(wh.width(), wh.height());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is unusable (" + size + "): " + e.getMessage(), e);
        }
    }

    @BindToRegistry(lazy = true)
    public HttpClipGenerator httpVideoGenerator(@PropertyInject("vibecraft.video.base-url") String baseUrl,
                                                @PropertyInject("vibecraft.video.api-token") String token,
                                                @PropertyInject("vibecraft.video.model") String model,
                                                @PropertyInject("vibecraft.video.request-timeout-sec") int requestSec,
                                                @PropertyInject("vibecraft.video.poll-interval-ms") int pollMs,
                                                @PropertyInject("vibecraft.video.deadline-sec") int deadlineSec) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return new HttpClipGenerator(null);
        }
        try {
            return new HttpClipGenerator(new HttpVideoGenerator(new HttpVideoSettings(baseUrl, token, model,
                    Duration.ofSeconds(requestSec), Duration.ofMillis(pollMs), Duration.ofSeconds(deadlineSec))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The http clip generator settings (vibecraft.video.*, VIBECRAFT_VIDEO_*) "
                    + "are unusable: " + e.getMessage(), e);
        }
    }

    /** This instance's name in the consumer groups: the configured id, or host and process id. */
    static String consumerName(String instanceId) {
        if (instanceId != null && !instanceId.isBlank()) {
            return instanceId.trim();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
