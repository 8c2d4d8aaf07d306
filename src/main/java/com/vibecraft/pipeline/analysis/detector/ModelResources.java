package com.vibecraft.pipeline.analysis.detector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text of a learned model shipped in the jar. */
public final class ModelResources {

    private ModelResources() {
    }

    /**
     * @param what     names the model in the error when the resource is missing
     * @param resource absolute classpath resource
     */
    public static String text(String what, String resource) {
        try (InputStream in = ModelResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(what + " resource missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
