package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /api/v1/openapi.json: a valid OpenAPI 3 document (swagger-parser), naming every REST route,
 * whose response schemas the real responses satisfy: each real body validates against the schema the
 * document gives for its path, method and status (networknt, OpenAPI 3.0 dialect), and has exactly the
 * properties the schema lists.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    static final int RATE = 22050;
    /** OpenAPI 3.0's schema dialect (nullable), with the document's components beside the schema for $ref. */
    static final JsonMetaSchema DIALECT = JsonMetaSchema.builder(OpenApi30.getInstance())
            .keyword(new NonValidationKeyword("components")).build();
    static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(DIALECT).defaultMetaSchemaIri(DIALECT.getIri()));
    static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder()
            .nullableKeywordEnabled(true).formatAssertionsEnabled(true).build();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void environment() {
        // no worker: the clips stay queued, so the test does not render videos
        TestEnvironment.prepare("openapi", Map.of("vibecraft.worker.enabled", "false",
                "vibecraft.redis.prefix", "openapi-" + System.nanoTime()));
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    static JsonNode document() {
        Http.Response r = Http.get(base() + "/api/v1/openapi.json");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return r.json();
    }

    @Test
    void documentIsValidOpenApiWithEveryRoute() {
        Http.Response r = Http.get(base() + "/api/v1/openapi.json");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(r.body(), null, options);
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), "parser messages: " + parsed.getMessages());
        OpenAPI api = parsed.getOpenAPI();
        assertNotNull(api, "not an OpenAPI document: " + r.body());
        assertTrue(api.getOpenapi().startsWith("3."), api.getOpenapi());
        assertEquals("Vibecraft Pipeline API", api.getInfo().getTitle());

        // every verb of every REST definition is in the document, under its id, with its parameters
        List<RestDefinition> rests = context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions();
        int verbs = 0;
        for (RestDefinition rest : rests) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = join(rest.getPath(), verb.getPath());
                PathItem item = api.getPaths().get(path);
                assertNotNull(item, path + " is missing from " + api.getPaths().keySet());
                var op = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb.asVerb().toUpperCase(Locale.ROOT)));
                assertNotNull(op, verb.asVerb() + " " + path + " is missing");
                assertEquals(verb.getId(), op.getOperationId());
                assertFalse(op.getResponses().isEmpty(), path);
                op.getResponses().forEach((code, resp) -> assertFalse(resp.getDescription() == null
                        || resp.getDescription().isBlank(), verb.asVerb() + " " + path + " " + code + " has no description"));
                for (String param : pathParams(path)) {
                    assertTrue(op.getParameters() != null && op.getParameters().stream()
                            .anyMatch(p -> p.getName().equals(param) && "path".equals(p.getIn()) && p.getRequired()),
                            param + " of " + path);
                }
                if ("post".equals(verb.asVerb())) {
                    assertTrue(op.getSecurity() != null && op.getSecurity().get(0).containsKey("bearer"), path);
                    assertTrue(op.getResponses().containsKey("401") && op.getResponses().containsKey("403"), path);
                }
                verbs++;
            }
        }
        assertTrue(verbs >= 13, "only " + verbs + " verbs");
        assertEquals("bearer", api.getComponents().getSecuritySchemes().get("bearer").getScheme());

        // SPEC §7's codes, as the document states them
        assertCodes(api, "/api/v1/songs", PathItem.HttpMethod.POST, "200", "201", "400", "413", "415", "422");
        assertCodes(api, "/api/v1/songs", PathItem.HttpMethod.GET, "200", "400");
        assertCodes(api, "/api/v1/songs/{songId}", PathItem.HttpMethod.GET, "200", "404");
        assertCodes(api, "/api/v1/songs/{songId}/audio", PathItem.HttpMethod.GET, "200", "206", "404", "416");
        assertCodes(api, "/api/v1/songs/{songId}/analyze", PathItem.HttpMethod.POST, "202", "404", "409");
        assertCodes(api, "/api/v1/songs/{songId}/analysis", PathItem.HttpMethod.GET, "200", "404");
        assertCodes(api, "/api/v1/songs/{songId}/clips", PathItem.HttpMethod.GET, "200", "404");
        assertCodes(api, "/api/v1/songs/{songId}/clips", PathItem.HttpMethod.POST, "202", "404", "409");
        assertCodes(api, "/api/v1/songs/{songId}/clips/status", PathItem.HttpMethod.GET, "200", "404");
        assertCodes(api, "/api/v1/songs/{songId}/clips/{clipId}/retry", PathItem.HttpMethod.POST, "202", "404", "409");
        assertCodes(api, "/api/v1/songs/{songId}/video", PathItem.HttpMethod.POST, "202", "404", "409");
        assertCodes(api, "/api/v1/songs/{songId}/video", PathItem.HttpMethod.GET, "200", "206", "404", "416");
        assertCodes(api, "/api/v1/songs/{songId}/video/status", PathItem.HttpMethod.GET, "200", "404");
        // every protected endpoint documents the token answers (defined once in the REST file)
        for (String[] post : new String[][] {{"/api/v1/songs"}, {"/api/v1/songs/{songId}/analyze"},
                {"/api/v1/songs/{songId}/clips"}, {"/api/v1/songs/{songId}/clips/{clipId}/retry"},
                {"/api/v1/songs/{songId}/video"}}) {
            assertCodes(api, post[0], PathItem.HttpMethod.POST, "401", "403");
        }

        // the multipart upload: a required binary 'file' and an optional 'title'
        var form = api.getPaths().get("/api/v1/songs").getPost().getRequestBody().getContent().get("multipart/form-data");
        assertNotNull(form, "the upload is not described as multipart/form-data");
        var formSchema = api.getComponents().getSchemas().get("SongUploadForm");
        assertEquals("binary", ((io.swagger.v3.oas.models.media.Schema<?>) formSchema.getProperties().get("file")).getFormat());
        assertTrue(formSchema.getProperties().containsKey("title"));
        assertEquals(List.of("file"), formSchema.getRequired());
        var query = api.getPaths().get("/api/v1/songs").getGet().getParameters();
        assertTrue(query.stream().anyMatch(p -> p.getName().equals("limit") && "query".equals(p.getIn())), "limit");
        assertTrue(query.stream().anyMatch(p -> p.getName().equals("offset") && "query".equals(p.getIn())), "offset");

        // the analysis describes the song (key, mood, genre) and each section (key, energy level, mood tags)
        var schemas = api.getComponents().getSchemas();
        assertTrue(schemas.get("SongAnalysis").getProperties().keySet().containsAll(List.of("key", "mood", "genre")),
                schemas.get("SongAnalysis").getProperties().keySet().toString());
        assertTrue(schemas.get("Section").getProperties().keySet().containsAll(List.of("key", "energyLevel", "moodTags")),
                schemas.get("Section").getProperties().keySet().toString());
        assertTrue(schemas.get("Mood").getProperties().keySet()
                .containsAll(List.of("energy", "valence", "danceability", "tension", "tags")));
        assertTrue(schemas.get("Genre").getDescription().contains("HEURISTIC"), schemas.get("Genre").getDescription());
        assertTrue(schemas.get("SongKey").getProperties().keySet().containsAll(List.of("name", "tonic", "mode", "confidence")));
    }

    @Test
    void realResponsesMatchTheDocumentedSchemas() throws Exception {
        JsonNode doc = document();
        byte[] wav = TestAudio.wav(TestAudio.abab(RATE, System.nanoTime()), RATE);

        Http.Response created = Http.upload(base() + "/api/v1/songs", "file", "schema.wav", wav, "Schema song");
        assertResponse(doc, "/api/v1/songs", "post", created, 201);
        String id = created.json().path("id").asText();
        assertResponse(doc, "/api/v1/songs", "post", Http.upload(base() + "/api/v1/songs", "file", "again.wav", wav, null), 200);
        assertResponse(doc, "/api/v1/songs", "post", Http.upload(base() + "/api/v1/songs", "file", "x.mp3",
                "PK\u0003\u0004 not audio at all".getBytes(), null), 415);

        Http.awaitSong(base(), id, Duration.ofSeconds(90), "analyzed");
        assertResponse(doc, "/api/v1/songs/{songId}", "get", Http.get(base() + "/api/v1/songs/" + id), 200);
        assertResponse(doc, "/api/v1/songs", "get", Http.get(base() + "/api/v1/songs?limit=10&offset=0"), 200);
        assertResponse(doc, "/api/v1/songs/{songId}/analysis", "get", Http.get(base() + "/api/v1/songs/" + id + "/analysis"), 200);

        // errors: the same {status, error, detail} everywhere
        assertResponse(doc, "/api/v1/songs/{songId}", "get", Http.get(base() + "/api/v1/songs/" + UUID.randomUUID()), 404);
        assertResponse(doc, "/api/v1/songs/{songId}", "get", Http.get(base() + "/api/v1/songs/not-an-id"), 404);
        assertResponse(doc, "/api/v1/songs", "get", Http.get(base() + "/api/v1/songs?limit=abc"), 400);
        assertResponse(doc, "/api/v1/songs/{songId}/clips/status", "get",
                Http.get(base() + "/api/v1/songs/" + UUID.randomUUID() + "/clips/status"), 404);

        // clips are planned after the analysis; with no worker they stay queued
        Http.Response planned = Await.value(Duration.ofSeconds(30), 100,
                () -> Http.get(base() + "/api/v1/songs/" + id + "/clips/status"),
                s -> s.status() == 200 && s.json().path("totalClips").asInt() > 0, "clips planned for " + id);
        assertResponse(doc, "/api/v1/songs/{songId}/clips/status", "get", planned, 200);
        JsonNode summary = planned.json();
        assertNotNull(summary, "no clips were planned");
        assertResponse(doc, "/api/v1/songs/{songId}/clips", "get", Http.get(base() + "/api/v1/songs/" + id + "/clips"), 200);
        String clipId = summary.path("clips").get(0).path("id").asText();
        assertResponse(doc, "/api/v1/songs/{songId}/clips/{clipId}/retry", "post",
                Http.post(base() + "/api/v1/songs/" + id + "/clips/" + clipId + "/retry"), 409);
        assertResponse(doc, "/api/v1/songs/{songId}/clips", "post", Http.post(base() + "/api/v1/songs/" + id + "/clips"), 409);
        // the music video: waiting for queued clips, so a request is refused and there is no file yet
        assertResponse(doc, "/api/v1/songs/{songId}/video/status", "get",
                Http.get(base() + "/api/v1/songs/" + id + "/video/status"), 200);
        assertEquals("waiting", Http.get(base() + "/api/v1/songs/" + id + "/video/status").json().path("status").asText());
        assertResponse(doc, "/api/v1/songs/{songId}/video/status", "get",
                Http.get(base() + "/api/v1/songs/" + UUID.randomUUID() + "/video/status"), 404);
        assertResponse(doc, "/api/v1/songs/{songId}/video", "post", Http.post(base() + "/api/v1/songs/" + id + "/video"), 409);
        assertResponse(doc, "/api/v1/songs/{songId}/video", "post",
                Http.post(base() + "/api/v1/songs/" + UUID.randomUUID() + "/video"), 404);
        assertResponse(doc, "/api/v1/songs/{songId}/analyze", "post", Http.post(base() + "/api/v1/songs/" + id + "/analyze"), 202);
        // the song of the 201 and of GET, now re-analysed, still has every documented property
        assertResponse(doc, "/api/v1/songs/{songId}", "get",
                Http.get(base() + "/api/v1/songs/" + Http.awaitSong(base(), id, Duration.ofSeconds(90), "analyzed")
                        .path("id").asText()), 200);
    }

    @Test
    void documentedMediaTypesDoNotTurnAwayRequests() {
        // consumes/produces only describe: a body that is not multipart gets the route's JSON 400, and an
        // Accept the endpoint does not produce still gets the answer (or the JSON error), never a bare 415/406
        Http.Response notMultipart = Http.post(base() + "/api/v1/songs", "application/json", "{}".getBytes());
        assertEquals(400, notMultipart.status(), notMultipart.body());
        assertEquals(400, notMultipart.json().path("status").asInt());
        Http.Response noBody = Http.post(base() + "/api/v1/songs");
        assertEquals(400, noBody.status(), noBody.body());
        Http.Response audio = Http.get(base() + "/api/v1/songs/" + UUID.randomUUID() + "/audio", "Accept", "application/json");
        assertEquals(404, audio.status(), audio.body());
        assertEquals(404, audio.json().path("status").asInt());
        Http.Response list = Http.get(base() + "/api/v1/songs", "Accept", "text/html");
        assertEquals(200, list.status(), list.body());
    }

    @Test
    void aResponseThatBreaksTheSchemaIsCaught() {
        // the check itself can fail: a song missing a property, or with a wrong type, does not pass
        JsonNode doc = document();
        JsonNode schema = doc.at("/paths/~1api~1v1~1songs~1{songId}/get/responses/200/content/application~1json/schema");
        ObjectNode song = Http.JSON.createObjectNode().put("id", UUID.randomUUID().toString());
        assertFalse(problems(doc, schema, song).isEmpty(), "a song with only an id passed");
        ObjectNode wrongType = Http.JSON.createObjectNode().put("status", "dancing");
        assertFalse(validate(doc, schema, wrongType).isEmpty(), "status 'dancing' passed");
    }

    private static void assertCodes(OpenAPI api, String path, PathItem.HttpMethod method, String... codes) {
        var op = api.getPaths().get(path).readOperationsMap().get(method);
        for (String code : codes) {
            assertTrue(op.getResponses().containsKey(code), method + " " + path + " does not document " + code
                    + " (has " + op.getResponses().keySet() + ")");
        }
    }

    /** The real response has a documented status and media type, and its body fits that schema exactly. */
    static void assertResponse(JsonNode doc, String path, String method, Http.Response r, int expectedStatus) {
        assertEquals(expectedStatus, r.status(), method + " " + path + ": " + r.body());
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " " + r.status();
        JsonNode response = doc.path("paths").path(path).path(method).path("responses").path(String.valueOf(r.status()));
        assertFalse(response.isMissingNode(), where + " is not documented");
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/json"), where + " answered " + type);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        assertFalse(schema.isMissingNode(), where + " has no application/json schema: " + response);
        List<String> problems = new ArrayList<>(validate(doc, schema, r.json()));
        problems.addAll(problems(doc, schema, r.json()));
        assertTrue(problems.isEmpty(), where + ": " + problems + "\nbody: " + r.body());
    }

    static List<String> validate(JsonNode doc, JsonNode schema, JsonNode body) {
        ObjectNode root = schema.deepCopy();
        root.set("components", doc.get("components"));
        JsonSchema s = SCHEMAS.getSchema(root, STRICT);
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : s.validate(body)) {
            out.add(m.getMessage());
        }
        return out;
    }

    /** Property names, both ways: nothing the document lists is missing, nothing real is undocumented. */
    static List<String> problems(JsonNode doc, JsonNode schema, JsonNode body) {
        List<String> out = new ArrayList<>();
        compare(doc, schema, body, "$", out);
        return out;
    }

    private static void compare(JsonNode doc, JsonNode schema, JsonNode body, String at, List<String> out) {
        while (schema.has("$ref")) {
            schema = doc.at(schema.get("$ref").asText().substring(1));
        }
        if (body == null || body.isNull()) {
            return;
        }
        if (schema.has("properties") && body.isObject()) {
            Set<String> documented = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> real = new TreeSet<>();
            body.fieldNames().forEachRemaining(real::add);
            if (!documented.equals(real)) {
                Set<String> missing = new TreeSet<>(documented);
                missing.removeAll(real);
                Set<String> extra = new TreeSet<>(real);
                extra.removeAll(documented);
                out.add(at + ": missing " + missing + ", undocumented " + extra);
            }
            for (String name : real) {
                if (documented.contains(name)) {
                    compare(doc, schema.get("properties").get(name), body.get(name), at + "." + name, out);
                }
            }
        } else if (schema.has("items") && body.isArray()) {
            for (int i = 0; i < body.size(); i++) {
                compare(doc, schema.get("items"), body.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private static String join(String base, String path) {
        String b = base == null ? "" : base.replaceAll("/+$", "");
        String p = path == null ? "" : path.startsWith("/") ? path : "/" + path;
        return b + p;
    }

    private static List<String> pathParams(String path) {
        List<String> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
