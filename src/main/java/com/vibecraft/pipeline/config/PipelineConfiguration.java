package com.vibecraft.pipeline.config;

import com.vibecraft.pipeline.analysis.AnalysisAssembler;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.detector.BoundaryModel;
import com.vibecraft.pipeline.analysis.SectionInference;
import com.vibecraft.pipeline.analysis.SectionTypeModel;
import com.vibecraft.pipeline.analysis.SongDescriber;
import com.vibecraft.pipeline.api.ApiErrors;
import com.vibecraft.pipeline.api.ClipApi;
import com.vibecraft.pipeline.api.FileResponder;
import com.vibecraft.pipeline.flow.VideoSteps;
import com.vibecraft.pipeline.ingest.InboxBackoff;
import org.apache.camel.component.file.GenericFileFilter;
import com.vibecraft.pipeline.api.HttpErrorResponses;
import com.vibecraft.pipeline.api.JsonResponder;
import com.vibecraft.pipeline.api.SongApi;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudioCache;
import com.vibecraft.pipeline.audjust.AudjustProtocol;
import com.vibecraft.pipeline.audjust.AudjustSettings;
import com.vibecraft.pipeline.flow.AnalysisSteps;
import com.vibecraft.pipeline.ingest.SongIngestService;
import com.vibecraft.pipeline.redis.RedisConnection;
import com.vibecraft.pipeline.song.AnalysisClaims;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.storage.Database;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;

/**
 * Every bean the flows use, built from {@code vibecraft.*} properties. The beans are bound lazily so
 * each is built when first needed, after the beans its parameters name; {@link #configure} then builds
 * the ones that must exist at start-up, so a bad setting stops the service with its name.
 */
@Configuration
public class PipelineConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        Settings.port("vibecraft.port (VIBECRAFT_PORT)", camelContext.resolvePropertyPlaceholders("{{vibecraft.port}}"));
        // the database (with its migrations) and Redis start now, not on the first request
        HikariDataSource dataSource = camelContext.getRegistry().lookupByNameAndType("dataSource", HikariDataSource.class);
        bindInboxReadLocks(camelContext, dataSource);
        camelContext.getRegistry().lookupByNameAndType("redisConnection", RedisConnection.class);
        camelContext.getRegistry().lookupByNameAndType("audjustSettings", AudjustSettings.class);
        camelContext.getRegistry().lookupByNameAndType("localStructureDetector", LocalStructureDetector.class);
        SongIngestService ingest = camelContext.getRegistry()
                .lookupByNameAndType("songIngestService", SongIngestService.class);
        try {
            camelContext.addStartupListener((context, alreadyStarted) ->
                    HttpErrorResponses.install(context, ingest.maxBytes()));
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the HTTP error responses", e);
        }
    }

    /**
     * Read locks on inbox files in the shared database (table CAMEL_MESSAGEPROCESSED), so several
     * instances watching one inbox take each file once. A lock is refreshed while its file is processed;
     * one older than vibecraft.inbox.lock-timeout-sec was left by a dead instance and is taken over.
     */
    private static void bindInboxReadLocks(CamelContext camelContext, HikariDataSource dataSource) {
        int timeoutSec = Integer.parseInt(camelContext.resolvePropertyPlaceholders("{{vibecraft.inbox.lock-timeout-sec}}").trim());
        Settings.positive("vibecraft.inbox.lock-timeout-sec", timeoutSec);
        JdbcOrphanLockAwareIdempotentRepository locks =
                new JdbcOrphanLockAwareIdempotentRepository(dataSource, "vibecraft-inbox", camelContext);
        locks.setCreateTableIfNotExists(false); // Flyway made it (V3)
        locks.setLockMaxAgeMillis(timeoutSec * 1000L);
        locks.setLockKeepAliveIntervalMillis(timeoutSec * 1000L / 4);
        camelContext.getRegistry().bind("inboxReadLocks", locks);
        try {
            camelContext.addService(locks, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the inbox read locks", e);
        }
    }

    /** Inbox files a passing fault kept from being taken in wait for their back-off (routes/10-ingest.camel.yaml). */
    @BindToRegistry(lazy = true)
    public InboxBackoff inboxBackoff(@PropertyInject("vibecraft.inbox.retry-base-ms") long baseMs,
                                     @PropertyInject("vibecraft.inbox.retry-max-sec") long maxSec) {
        try {
            return new InboxBackoff(baseMs, maxSec * 1000);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vibecraft.inbox.retry-base-ms / retry-max-sec: " + e.getMessage(), e);
        }
    }

    /** The inbox consumer's filter: a file in back-off is left for a later poll. */
    @BindToRegistry(lazy = true)
    public GenericFileFilter<Object> inboxDueFilter(InboxBackoff inboxBackoff) {
        return file -> file.isDirectory() || inboxBackoff.isDue(file.getAbsoluteFilePath());
    }

    @BindToRegistry(lazy = true)
    public DataDirectory dataDirectory(@PropertyInject("vibecraft.data-dir") String dataDir) {
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("vibecraft.data-dir (VIBECRAFT_DATA_DIR) must not be empty");
        }
        DataDirectory dir = new DataDirectory(Path.of(dataDir));
        dir.dir("."); // fails here, with the path in the message, if it cannot be created
        dir.removeStaleUploads(java.time.Duration.ofHours(1));
        return dir;
    }

    @BindToRegistry(lazy = true, destroyMethod = "close")
    public HikariDataSource dataSource(@PropertyInject("vibecraft.database.url") String url,
                                       @PropertyInject("vibecraft.database.user") String user,
                                       @PropertyInject("vibecraft.database.password") String password,
                                       @PropertyInject("vibecraft.database.pool-size") int poolSize,
                                       @PropertyInject("vibecraft.database.connection-timeout-ms") long connectionTimeoutMs,
                                       @PropertyInject("vibecraft.database.start-timeout-ms") long startTimeoutMs,
                                       DataDirectory dataDirectory) {
        Settings.positive("vibecraft.database.pool-size", poolSize);
        Settings.positive("vibecraft.database.connection-timeout-ms", connectionTimeoutMs);
        Settings.positive("vibecraft.database.start-timeout-ms", startTimeoutMs);
        return Database.open(url, user, password, poolSize, connectionTimeoutMs, startTimeoutMs, dataDirectory.database());
    }

    @BindToRegistry(lazy = true, destroyMethod = "close")
    public RedisConnection redisConnection(@PropertyInject("vibecraft.redis.url") String url,
                                           DataDirectory dataDirectory) {
        return RedisConnection.open(url, dataDirectory.redis());
    }

    @BindToRegistry(lazy = true)
    public SongRepository songRepository(HikariDataSource dataSource) {
        return new SongRepository(dataSource);
    }

    /** Claims songs for analysis in this instance's name, under a lease the analysis-heartbeat route renews. */
    @BindToRegistry(lazy = true)
    public AnalysisClaims analysisClaims(HikariDataSource dataSource,
                                         @PropertyInject("vibecraft.instance-id") String instanceId,
                                         @PropertyInject("vibecraft.analysis.lease-sec") int leaseSec,
                                         @PropertyInject("vibecraft.analysis.heartbeat-sec") int heartbeatSec) {
        Settings.positive("vibecraft.analysis.heartbeat-sec", heartbeatSec);
        if (leaseSec < 2 * heartbeatSec) {
            // a lease must survive a missed renewal, or a live instance loses its songs
            throw new IllegalArgumentException("vibecraft.analysis.lease-sec (" + leaseSec
                    + ") must be at least twice vibecraft.analysis.heartbeat-sec (" + heartbeatSec + ")");
        }
        return new AnalysisClaims(dataSource, ClipConfiguration.consumerName(instanceId), Duration.ofSeconds(leaseSec));
    }

    /** Stores an analysis only while this instance's claim on the song holds. */
    @BindToRegistry(lazy = true)
    public AnalysisStore analysisStore(HikariDataSource dataSource, AnalysisClaims analysisClaims) {
        return new AnalysisStore(dataSource, analysisClaims.owner());
    }

    @BindToRegistry(lazy = true)
    public AudioDecoder audioDecoder(@PropertyInject("vibecraft.analysis.max-sample-rate") int maxRate) {
        return new AudioDecoder(maxRate);
    }

    /** By default three songs: the one being analysed, the one whose previews render, one waiting. */
    @BindToRegistry(lazy = true)
    public DecodedAudioCache decodedAudioCache(@PropertyInject("vibecraft.analysis.decoded-cache-songs") int songs) {
        if (songs < 0) {
            throw new IllegalArgumentException("vibecraft.analysis.decoded-cache-songs must be 0 or more, got " + songs);
        }
        return new DecodedAudioCache(songs);
    }

    @BindToRegistry(lazy = true)
    public LocalStructureDetector localStructureDetector(
            @PropertyInject("vibecraft.detector.min-section-sec") double minSectionSec,
            @PropertyInject(value = "vibecraft.detector.boundary-model", defaultValue = "true") boolean boundaryModel,
            @PropertyInject(value = "vibecraft.detector.sequence-model", defaultValue = "true") boolean sequenceModel) {
        Settings.positive("vibecraft.detector.min-section-sec", minSectionSec);
        if (!boundaryModel) {
            return new LocalStructureDetector(minSectionSec, null);
        }
        return new LocalStructureDetector(minSectionSec,
                sequenceModel ? BoundaryModel.bundled() : BoundaryModel.bundledTrees());
    }

    @BindToRegistry(lazy = true)
    public AnalysisAssembler analysisAssembler(
            @PropertyInject(value = "vibecraft.detector.section-type-model", defaultValue = "true") boolean typeModel) {
        return new AnalysisAssembler(new SectionInference(typeModel ? SectionTypeModel.bundled() : null),
                SongDescriber.bundled());
    }

    @BindToRegistry(lazy = true)
    public AudjustSettings audjustSettings(@PropertyInject("vibecraft.audjust.base-url") String baseUrl,
                                           @PropertyInject("vibecraft.audjust.api-key") String apiKey,
                                           @PropertyInject("vibecraft.audjust.upload-path") String uploadPath,
                                           @PropertyInject("vibecraft.audjust.structure-path") String structurePath,
                                           @PropertyInject("vibecraft.audjust.timeout-sec") int timeoutSec,
                                           @PropertyInject("vibecraft.audjust.breaker.timeout-sec") int breakerSec) {
        Settings.positive("vibecraft.audjust.timeout-sec (AUDJUST_TIMEOUT_SEC)", timeoutSec);
        if (breakerSec <= 3 * timeoutSec) {
            // each HTTP step must time out on its own before the breaker gives up on the whole call
            throw new IllegalArgumentException("vibecraft.audjust.breaker.timeout-sec (" + breakerSec
                    + ") must be more than 3 x AUDJUST_TIMEOUT_SEC (" + timeoutSec + ")");
        }
        if (baseUrl != null && !baseUrl.isBlank() && !baseUrl.matches("(?i)https?://.+")) {
            throw new IllegalArgumentException("AUDJUST_BASE_URL must start with http:// or https://");
        }
        return new AudjustSettings(baseUrl, apiKey, uploadPath, structurePath, timeoutSec);
    }

    @BindToRegistry(lazy = true)
    public AudjustProtocol audjustProtocol() {
        return new AudjustProtocol();
    }

    @BindToRegistry(lazy = true)
    public SongIngestService songIngestService(SongRepository songRepository, DataDirectory dataDirectory,
                                               AudioDecoder audioDecoder, DecodedAudioCache decodedAudioCache,
                                               @PropertyInject("vibecraft.upload.max-bytes") long maxBytes,
                                               @PropertyInject("vibecraft.upload.min-duration-sec") double minDuration,
                                               @PropertyInject("vibecraft.upload.max-duration-sec") double maxDuration) {
        Settings.positive("vibecraft.upload.max-bytes", maxBytes);
        Settings.positive("vibecraft.upload.max-duration-sec", maxDuration);
        if (minDuration < 0 || minDuration >= maxDuration) {
            throw new IllegalArgumentException("vibecraft.upload.min-duration-sec (" + minDuration
                    + ") must be at least 0 and below vibecraft.upload.max-duration-sec (" + maxDuration + ")");
        }
        return new SongIngestService(songRepository, dataDirectory, audioDecoder, decodedAudioCache, maxBytes,
                minDuration, maxDuration);
    }

    @BindToRegistry(lazy = true)
    public AnalysisSteps analysisSteps(SongRepository songRepository, AnalysisClaims analysisClaims,
                                       AnalysisStore analysisStore, DataDirectory dataDirectory,
                                       AudioDecoder audioDecoder, DecodedAudioCache decodedAudioCache,
                                       LocalStructureDetector localStructureDetector,
                                       AnalysisAssembler analysisAssembler, AudjustSettings audjustSettings,
                                       @PropertyInject("vibecraft.upload.max-duration-sec") double maxDuration) {
        return new AnalysisSteps(songRepository, analysisClaims, analysisStore, dataDirectory, audioDecoder, decodedAudioCache, localStructureDetector,
                analysisAssembler, maxDuration, audjustSettings);
    }

    @BindToRegistry(lazy = true)
    public SongApi songApi(SongRepository songRepository, AnalysisClaims analysisClaims, AnalysisStore analysisStore,
                           SongIngestService songIngestService, DataDirectory dataDirectory) {
        return new SongApi(songRepository, analysisClaims, analysisStore, songIngestService, dataDirectory);
    }

    @BindToRegistry(lazy = true)
    public FileResponder fileResponder(SongApi songApi, ClipApi clipApi, VideoSteps videoSteps) {
        return new FileResponder(songApi, clipApi, videoSteps);
    }

    @BindToRegistry(lazy = true)
    public ApiErrors apiErrors() {
        return new ApiErrors();
    }

    @BindToRegistry(lazy = true)
    public JsonResponder jsonResponder(CamelContext camelContext) {
        return new JsonResponder(camelContext);
    }
}
