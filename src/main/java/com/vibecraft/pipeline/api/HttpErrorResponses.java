package com.vibecraft.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors the HTTP server answers before any route runs (body over the limit, unknown path, wrong
 * method) get the same JSON error shape as the routes' errors instead of Vert.x's plain text.
 */
public final class HttpErrorResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorResponses.class);

    private HttpErrorResponses() {
    }

    public static void install(CamelContext context, long maxUploadBytes) {
        Router router = mainRouter(context);
        if (router == null) {
            return;
        }
        on(router, 413, "The upload is larger than the limit of " + maxUploadBytes + " bytes.");
        on(router, 404, "No such endpoint; see /api/v1/songs.");
        on(router, 405, "This endpoint does not support that HTTP method.");
        on(router, 400, "The request could not be read.");
    }

    /**
     * The body limit and unknown paths are handled by the server's top-level router, which Camel keeps
     * private (the registry only holds the sub-router for routes), hence the reflective read.
     */
    private static Router mainRouter(CamelContext context) {
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

    private static void on(Router router, int status, String detail) {
        String body;
        try {
            body = JSON.writeValueAsString(ApiErrors.error(status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        router.errorHandler(status, ctx -> {
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
}
