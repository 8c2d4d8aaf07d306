package com.vibecraft.pipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a model's training data: SHA-256 over each training file's song id, file
 * name and bytes, in the order the trainer read them. Written into the model file, so a model in
 * the repository names exactly the audio it was trained on, and a retraining can be checked
 * against it.
 */
final class TrainingData {

    private final MessageDigest sha;
    private int files;

    TrainingData() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(String id, Path file) throws IOException {
        sha.update((id + "/" + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                sha.update(buf, 0, r);
            }
        }
        files++;
    }

    /** The comment line for a model file. */
    String line() {
        return "# training data: " + files + " files, sha256 " + HexFormat.of().formatHex(sha.digest()) + "\n";
    }
}
