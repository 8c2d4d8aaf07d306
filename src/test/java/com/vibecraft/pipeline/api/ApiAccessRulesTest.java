package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.api.ApiAccess.Verdict;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access decisions without a server: which requests need the token, and how the header is read. */
class ApiAccessRulesTest {

    static final String TOKEN = "s3cret-token";

    @Test
    void noTokenMeansEverythingIsOpen() {
        ApiAccess open = new ApiAccess("  ", true, List.of(), 600);
        assertFalse(open.tokenRequired());
        assertEquals(Verdict.OPEN, open.verdict(HttpMethod.POST, "/api/v1/songs", null));
        assertEquals(Verdict.OPEN, open.verdict(HttpMethod.GET, "/api/v1/songs", null));
    }

    @Test
    void everyMutatingMethodNeedsTheTokenReadsDoNotByDefault() {
        ApiAccess a = new ApiAccess(TOKEN, false, List.of(), 600);
        for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
            assertEquals(Verdict.MISSING, a.verdict(m, "/api/v1/songs", null), m.name());
            assertEquals(Verdict.MISSING, a.verdict(m, "/anything/else", null), m.name());
            assertEquals(Verdict.WRONG, a.verdict(m, "/api/v1/songs", "Bearer nope"), m.name());
            assertEquals(Verdict.ALLOWED, a.verdict(m, "/api/v1/songs", "Bearer " + TOKEN), m.name());
        }
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.GET, "/api/v1/songs", null));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.HEAD, "/api/v1/songs/x/audio", null));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.OPTIONS, "/api/v1/songs", null));
    }

    @Test
    void protectReadsCoversTheApiButNotHealthNorTheDescription() {
        ApiAccess a = new ApiAccess(TOKEN, true, List.of(), 600);
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.GET, "/api/v1/songs", null));
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.GET, "/api/v1", null));
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.HEAD, "/api/v1/songs/x/audio", null));
        assertEquals(Verdict.ALLOWED, a.verdict(HttpMethod.GET, "/api/v1/songs", "Bearer " + TOKEN));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.GET, "/api/v1/openapi.json", null));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.GET, "/healthz", null));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.GET, "/readyz", null));
        assertEquals(Verdict.OPEN, a.verdict(HttpMethod.OPTIONS, "/api/v1/songs", null));
    }

    @Test
    void theHeaderIsReadStrictly() {
        ApiAccess a = new ApiAccess(" " + TOKEN + "\n", false, List.of(), 600); // a pasted token's whitespace is trimmed
        assertEquals(Verdict.ALLOWED, a.verdict(HttpMethod.POST, "/api/v1/songs", "Bearer " + TOKEN));
        assertEquals(Verdict.ALLOWED, a.verdict(HttpMethod.POST, "/api/v1/songs", "bearer   " + TOKEN + "  "));
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.POST, "/api/v1/songs", "Basic " + TOKEN));
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.POST, "/api/v1/songs", TOKEN));
        assertEquals(Verdict.MISSING, a.verdict(HttpMethod.POST, "/api/v1/songs", "Bearer "));
        assertEquals(Verdict.WRONG, a.verdict(HttpMethod.POST, "/api/v1/songs", "Bearer " + TOKEN.toUpperCase()));
        assertEquals(Verdict.WRONG, a.verdict(HttpMethod.POST, "/api/v1/songs", "Bearer " + TOKEN + TOKEN));
        assertEquals(Verdict.WRONG, a.verdict(HttpMethod.POST, "/api/v1/songs", "Bearer " + TOKEN.substring(0, 5)));
        assertNull(ApiAccess.bearer(null));
        assertEquals("/a?b", ApiAccess.loggable("/a\nb"));
        assertEquals(201, ApiAccess.loggable("/" + "x".repeat(300)).length());
        assertEquals("abc", ApiAccess.bearer("BEARER abc"));
    }

    @Test
    void originsAreParsedAndCheckedAtStartUp() {
        assertEquals(List.of("https://a.example", "http://localhost:5173"),
                ApiAccess.origins(" https://a.example, ,http://localhost:5173 ,"));
        assertEquals(List.of(), ApiAccess.origins(""));
        assertFalse(new ApiAccess(TOKEN, false, List.of(), 600).corsEnabled());
        ApiAccess any = new ApiAccess("", false, List.of("*"), 600);
        assertTrue(any.corsEnabled());
        any.corsHandler();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ApiAccess("", false, List.of("not an origin"), 600).corsHandler());
        assertTrue(e.getMessage().contains("vibecraft.cors.allowed-origins"), e.getMessage());
    }
}
