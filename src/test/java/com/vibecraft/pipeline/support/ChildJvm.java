package com.vibecraft.pipeline.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a short-lived JVM a test starts on its own classpath (the real entry point in
 * a separate process: start-up failures that end in System.exit, the log of a real process, the jmx
 * command). The flags only make such a JVM start sooner — the C1 compiler alone and the serial
 * collector — and change nothing the tests look at.
 */
public final class ChildJvm {

    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private ChildJvm() {
    }

    /** {@code java <quick start flags> -cp <this test's classpath> mainClass args…} */
    public static List<String> command(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(QUICK_START);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
