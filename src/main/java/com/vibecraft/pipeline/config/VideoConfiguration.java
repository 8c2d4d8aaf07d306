package com.vibecraft.pipeline.config;

import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.flow.VideoSteps;
import com.vibecraft.pipeline.media.ClipFetcher;
import com.vibecraft.pipeline.media.ClipLimits;
import com.vibecraft.pipeline.media.VideoComposer;
import com.vibecraft.pipeline.media.VideoFormat;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.video.VideoRepository;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/** The music video (SPEC §10): format, clip limits, the composition claim, from {@code vibecraft.compose.*}. */
@Configuration
public class VideoConfiguration {

    @BindToRegistry(lazy = true)
    public VideoRepository videoRepository(HikariDataSource dataSource,
                                           @PropertyInject("vibecraft.instance-id") String instanceId,
                                           @PropertyInject("vibecraft.compose.lease-sec") int leaseSec) {
        Settings.positive("vibecraft.compose.lease-sec", leaseSec);
        return new VideoRepository(dataSource, ClipConfiguration.consumerName(instanceId), Duration.ofSeconds(leaseSec));
    }

    @BindToRegistry(lazy = true)
    public VideoSteps videoSteps(SongRepository songRepository, ClipRepository clipRepository,
                                 VideoRepository videoRepository, DataDirectory dataDirectory, ClipLinks clipLinks,
                                 @PropertyInject("vibecraft.compose.size") String size,
                                 @PropertyInject("vibecraft.compose.fps") int fps,
                                 @PropertyInject("vibecraft.compose.auto") boolean auto,
                                 @PropertyInject("vibecraft.compose.clip-max-mb") int clipMaxMb,
                                 @PropertyInject("vibecraft.compose.clip-max-sec") int clipMaxSec,
                                 @PropertyInject("vibecraft.compose.fetch-timeout-sec") int fetchTimeoutSec) {
        VideoFormat format = format(size, fps);
        ClipLimits limits;
        try {
            limits = new ClipLimits(clipMaxMb * 1024L * 1024L, clipMaxSec, Duration.ofSeconds(fetchTimeoutSec));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vibecraft.compose.clip-max-mb / clip-max-sec / fetch-timeout-sec: "
                    + e.getMessage(), e);
        }
        return new VideoSteps(songRepository, clipRepository, videoRepository,
                new ClipFetcher(clipLinks.publicBaseUrl(), dataDirectory.dir("clips"), limits), new VideoComposer(format, limits),
                dataDirectory, auto);
    }

    /** {@code WIDTHxHEIGHT} (720x1280 is the 9:16 short form) at {@code fps}. */
    static VideoFormat format(String size, int fps) {
        String setting = "vibecraft.compose.size / fps (VIBECRAFT_COMPOSE_SIZE / _FPS)";
        FrameSize wh = FrameSize.parse(size, setting, "1280x720 or 720x1280");
        try {
            return new VideoFormat(wh.width(), wh.height(), fps, 48000);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " are unusable (" + size + " at " + fps + " fps): "
                    + e.getMessage(), e);
        }
    }
}
