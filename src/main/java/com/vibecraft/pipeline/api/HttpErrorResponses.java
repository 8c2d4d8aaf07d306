package com.vibecraft.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server does before any route runs: only song uploads may send large bodies (every
 * other request body is held in memory, so it is capped small), and the errors it answers itself
 * (body over the limit, unknown path, wrong method) get the same JSON error shape as the routes'.
 */
public final class HttpErrorResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorResponses.class);

    private HttpErrorResponses() {
    }

    /** Bodies of requests other than a multipart song upload: JSON at most, never audio. */
    public static final long SMALL_BODY_BYTES = 64 * 1024;
    static final String DETAIL = "vibecraftErrorDetail";

    public static void install(CamelContext context, long maxUploadBytes) {
        Router router = mainRouter(context);
        if (router == null) {
            return;
        }
        // before the body handler: it would buffer any body up to the upload limit in memory
        router.route().order(-1000).handler(ctx -> {
            HttpServerRequest req = ctx.request();
            if (!isSongUpload(req) && !smallBody(req)) {
                ctx.put(DETAIL, "Only song uploads (multipart/form-data to POST /api/v1/songs) may send more than "
                        + SMALL_BODY_BYTES + " bytes, with a Content-Length.");
                ctx.fail(413);
                return;
            }
            ctx.next();
        });
        on(router, 413, "The upload is larger than the limit of " + maxUploadBytes + " bytes.");
        on(router, 404, "No such endpoint; see /api/v1/songs.");
        on(router, 405, "This endpoint does not support that HTTP method.");
        on(router, 400, "The request could not be read (malformed, or a form field over 8 KB).");
    }

    /**
     * The body limit and unknown paths are handled by the server's top-level router, which Camel keeps
     * private (the registry only holds the sub-router for routes), hence the reflective read.
     */
    static Router mainRouter(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null) {
            try {
                Field f = VertxPlatformHttpServer.class.getDeclaredField("router");
                f.setAccessible(true);
                Object r = f.get(server);
                if (r instanceof Router router) {
                    return router;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("Could not install JSON error bodies on the HTTP server: {}", e.toString());
            }
        }
        return VertxPlatformHttpRouter.lookup(context);
    }

    static boolean isSongUpload(HttpServerRequest req) {
        String type = req.getHeader("Content-Type");
        return req.method() == HttpMethod.POST && req.path() != null && req.path().replaceAll("/+$", "").equals("/api/v1/songs")
                && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    static boolean smallBody(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length == null) {
            return req.getHeader("Transfer-Encoding") == null; // no body at all
        }
        try {
            return Long.parseLong(length.trim()) <= SMALL_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void on(Router router, int status, String detail) {
        router.errorHandler(status, ctx -> {
            String body = json(status, ctx.get(DETAIL) != null ? ctx.get(DETAIL) : detail);
            if (!ctx.response().ended() && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
                if (status == 413) {
                    // the client may still be sending the body: close rather than read the rest
                    ctx.response().putHeader("Connection", "close");
                    ctx.response().end(body).onComplete(done -> ctx.request().connection().close());
                } else {
                    ctx.response().end(body);
                }
            }
        });
    }

    private static String json(int status, String detail) {
        try {
            return JSON.writeValueAsString(ApiErrors.error(status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
