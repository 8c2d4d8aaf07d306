package com.vibecraft.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call the API, decided on the HTTP server's main router before any Camel route runs and
 * before a request body is read, so a refused upload stores nothing: the optional API token
 * (every POST, and the reads too with protect-reads) and CORS for a web page on another origin.
 */
public final class ApiAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String API_PREFIX = "/api/v1/";
    /** The description of the API holds no data, so tools can fetch it without the token. */
    static final String OPENAPI_PATH = "/api/v1/openapi.json";

    /** Before HttpErrorResponses' body-size check (-1000): refuse first, then measure. */
    static final int CORS_ORDER = -1100;
    static final int AUTH_ORDER = -1050;

    enum Verdict { OPEN, ALLOWED, MISSING, WRONG }

    private final byte[] tokenHash;
    private final boolean protectReads;
    private final List<String> allowedOrigins;
    private final int corsMaxAgeSec;

    /**
     * @param token          the API token; blank = no token, everything open
     * @param protectReads   whether GET/HEAD under /api/v1 need the token as well
     * @param allowedOrigins origins allowed by CORS ({@code *} = any); empty = CORS off
     */
    public ApiAccess(String token, boolean protectReads, List<String> allowedOrigins, int corsMaxAgeSec) {
        String t = token == null ? "" : token.trim();
        this.tokenHash = t.isEmpty() ? null : sha256(t);
        this.protectReads = protectReads;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.corsMaxAgeSec = corsMaxAgeSec;
    }

    /** {@code "a, b ,,c"} → [a, b, c]. */
    public static List<String> origins(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean tokenRequired() {
        return tokenHash != null;
    }

    public boolean corsEnabled() {
        return !allowedOrigins.isEmpty();
    }

    /** Builds the CORS handler now, so a malformed origin stops start-up with the setting's name. */
    public CorsHandler corsHandler() {
        CorsHandler cors;
        try {
            cors = allowedOrigins.contains("*") ? CorsHandler.create() : CorsHandler.create().addOrigins(allowedOrigins);
        } catch (IllegalArgumentException | IllegalStateException e) { // Vert.x's words for a malformed origin
            throw new IllegalArgumentException("vibecraft.cors.allowed-origins (VIBECRAFT_CORS_ALLOWED_ORIGINS) must be"
                    + " origins like https://app.example.com (scheme, host, optional port), comma-separated, or *: "
                    + e.getMessage(), e);
        }
        return cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Authorization", "Content-Type", "Range"))
                .exposedHeaders(Set.of("Location", "Content-Range", "Accept-Ranges", "Content-Length", "WWW-Authenticate"))
                .maxAgeSeconds(corsMaxAgeSec);
    }

    /** Puts the checks on the HTTP server; with a token set and no server to guard, start-up fails. */
    public static void install(org.apache.camel.CamelContext context, ApiAccess access) {
        Router router = HttpErrorResponses.mainRouter(context);
        if (router == null) {
            if (access.tokenRequired() || access.corsEnabled()) {
                throw new IllegalStateException("vibecraft.api-token / vibecraft.cors.allowed-origins are set but the"
                        + " HTTP server's router was not found, so they could not be enforced");
            }
            return;
        }
        access.install(router);
    }

    public void install(Router router) {
        if (corsEnabled()) {
            CorsHandler cors = corsHandler();
            router.route().order(CORS_ORDER).handler(cors);
            // the CORS handler refuses an origin that is not listed with a bare 403; answer it in JSON
            router.errorHandler(403, ctx -> reject(ctx, 403, "Requests from origin '" + ctx.request().getHeader("Origin")
                    + "' are not allowed (see vibecraft.cors.allowed-origins).", false));
        }
        if (tokenRequired()) {
            router.route().order(AUTH_ORDER).handler(this::handle);
        }
        LOG.info("API access: token {}{}; CORS {}", tokenRequired() ? "required for POST" : "not set (API open)",
                tokenRequired() && protectReads ? " and for reads under " + API_PREFIX : "",
                corsEnabled() ? "for " + allowedOrigins : "off");
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Verdict v = verdict(req.method(), ctx.normalizedPath(), req.getHeader("Authorization"));
        switch (v) {
            case OPEN, ALLOWED -> ctx.next();
            case MISSING -> {
                LOG.debug("Refused {} {} from {}: no bearer token", req.method(), loggable(ctx.normalizedPath()),
                        req.remoteAddress());
                reject(ctx, 401, "This request needs the header 'Authorization: Bearer <token>' with the service's"
                        + " API token (VIBECRAFT_API_TOKEN).", true);
            }
            case WRONG -> {
                LOG.warn("Refused {} {} from {}: wrong API token", req.method(), loggable(ctx.normalizedPath()),
                        req.remoteAddress());
                reject(ctx, 403, "The bearer token is not this service's API token.", true);
            }
        }
    }

    /** The decision alone, without HTTP: what a request of this method, path and Authorization header gets. */
    Verdict verdict(HttpMethod method, String path, String authorization) {
        if (tokenHash == null || !needsToken(method, path)) {
            return Verdict.OPEN;
        }
        String presented = bearer(authorization);
        if (presented == null) {
            return Verdict.MISSING;
        }
        // equal-length digests compared in constant time: neither the token's length nor a matching prefix leaks
        return MessageDigest.isEqual(sha256(presented), tokenHash) ? Verdict.ALLOWED : Verdict.WRONG;
    }

    private boolean needsToken(HttpMethod method, String path) {
        if (method == HttpMethod.OPTIONS) {
            return false; // preflights carry no credentials; the CORS handler has answered them
        }
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return true; // every mutating request, whatever the path
        }
        if (!protectReads || path == null) {
            return false;
        }
        return (path.startsWith(API_PREFIX) || path.equals("/api/v1")) && !path.equals(OPENAPI_PATH);
    }

    /** A client-chosen path in one log line: no control characters (forged lines), at most 200 characters. */
    static String loggable(String path) {
        if (path == null) {
            return "";
        }
        String p = path.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 200 ? p.substring(0, 200) + "…" : p;
    }

    /** The token of {@code Authorization: Bearer <token>}; null when the header is absent or another scheme. */
    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String h = authorization.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reject(RoutingContext ctx, int status, String detail, boolean challenge) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.headWritten()) {
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (challenge && status == 401) {
            res.putHeader("WWW-Authenticate", "Bearer realm=\"vibecraft\"");
        }
        String body = json(status, detail);
        if (HttpErrorResponses.smallBody(ctx.request()) || ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/1.1: a small unread body is drained by the server and the connection stays usable;
            // HTTP/2 (also after an h2c upgrade): ending the response resets only this stream
            res.end(body);
        } else {
            // an upload is still streaming in: answer now and close rather than receive it
            res.putHeader("Connection", "close");
            res.end(body).onComplete(done -> ctx.request().connection().close());
        }
    }

    private static String json(int status, String detail) {
        try {
            return JSON.writeValueAsString(ApiErrors.error(status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
