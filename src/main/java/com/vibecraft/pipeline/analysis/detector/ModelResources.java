package com.vibecraft.pipeline.analysis.detector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The text of a learned model shipped in the jar. */
public final class ModelResources {

    private ModelResources() {
    }

    /**
     * The records of a model's text form: each line that is neither blank nor a {@code #} comment,
     * split at white space (the first token names the record).
     */
    public static List<String[]> records(String text) {
        List<String[]> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split("\\s+"));
            }
        }
        return out;
    }

    /** The numbers of a record from token {@code from} on. */
    public static double[] numbers(String[] record, int from) {
        double[] v = new double[record.length - from];
        for (int i = from; i < record.length; i++) {
            v[i - from] = Double.parseDouble(record[i]);
        }
        return v;
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
