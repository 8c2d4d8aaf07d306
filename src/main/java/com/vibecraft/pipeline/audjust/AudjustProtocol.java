package com.vibecraft.pipeline.audjust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.RawSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads and writes the JSON of the three Audjust steps; any deviation is an {@link AudjustException}. */
public class AudjustProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer of step 1: where to PUT the audio, and the URL Audjust reads it back from. */
    public record UploadTarget(String storageUrl, String retrievalUrl) {
    }

    public UploadTarget uploadTarget(String body) {
        JsonNode root = parse(body, "upload");
        String storage = text(root, "storageUrl");
        String retrieval = text(root, "retrievalUrl");
        if (storage == null || retrieval == null) {
            throw new AudjustException("Audjust upload response lacks " + (storage == null ? "storageUrl" : "retrievalUrl"));
        }
        if (!storage.startsWith("http://") && !storage.startsWith("https://")) {
            throw new AudjustException("Audjust storageUrl is not an http(s) URL");
        }
        return new UploadTarget(storage, retrieval);
    }

    public String structureRequest(String retrievalUrl) {
        try {
            return JSON.writeValueAsString(Map.of("sourceFileUrl", retrievalUrl));
        } catch (IOException e) {
            throw new AudjustException("Could not build the Audjust structure request: " + e.getMessage());
        }
    }

    /** Step 3: {@code sections} or {@code result.sections}, a non-empty list of {startMs, endMs, label}. */
    public List<RawSegment> sections(String body) {
        JsonNode root = parse(body, "structure");
        JsonNode list = root.path("sections");
        if (!list.isArray()) {
            list = root.path("result").path("sections");
        }
        if (!list.isArray()) {
            throw new AudjustException("Audjust structure response has no sections list");
        }
        if (list.isEmpty()) {
            throw new AudjustException("Audjust structure response has an empty sections list");
        }
        List<RawSegment> out = new ArrayList<>(list.size());
        for (JsonNode s : list) {
            if (!s.path("startMs").isNumber() || !s.path("endMs").isNumber() || !s.path("label").isNumber()) {
                throw new AudjustException("Audjust section lacks numeric startMs, endMs or label: " + abbreviate(s.toString()));
            }
            long start = s.get("startMs").asLong();
            long end = s.get("endMs").asLong();
            int label = s.get("label").asInt();
            if (end < start || label < 0 || label > 1000) {
                throw new AudjustException("Audjust section out of range: " + abbreviate(s.toString()));
            }
            out.add(new RawSegment(start, end, label));
        }
        out.sort((a, b) -> Long.compare(a.startMs(), b.startMs()));
        return out;
    }

    private static JsonNode parse(String body, String step) {
        if (body == null || body.isBlank()) {
            throw new AudjustException("Audjust " + step + " response is empty");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new AudjustException("Audjust " + step + " response is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new AudjustException("Audjust " + step + " response is not valid JSON");
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
