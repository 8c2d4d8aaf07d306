package com.vibecraft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers run one way: api → flow → domain (song, clips, video, analysis, ingest, audjust) →
 * storage, redis, audio, media. No package imports from a layer above its own, read from the sources.
 */
class LayeringTest {

    static final Set<String> ENTRY = Set.of("api", "cli", "config", "ops");
    static final Set<String> FLOW = Set.of("flow");
    static final Set<String> DOMAIN = Set.of("domain", "song", "clips", "video", "analysis", "ingest", "audjust");
    static final Set<String> BASE = Set.of("storage", "redis", "audio", "media");

    /** What each layer may not import. */
    static final Map<Set<String>, Set<String>> FORBIDDEN = Map.of(
            FLOW, ENTRY,
            DOMAIN, union(ENTRY, FLOW),
            BASE, union(union(ENTRY, FLOW), DOMAIN));

    static final Pattern IMPORT = Pattern.compile("^import (?:static )?com\\.vibecraft\\.pipeline\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void noPackageImportsFromALayerAboveIt() throws IOException {
        Path root = Path.of("src/main/java/com/vibecraft/pipeline");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // App
                }
                String pkg = rel.getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    for (var rule : FORBIDDEN.entrySet()) {
                        if (rule.getKey().contains(pkg) && rule.getValue().contains(target)) {
                            upward.add(rel + " imports " + target);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), upward);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
