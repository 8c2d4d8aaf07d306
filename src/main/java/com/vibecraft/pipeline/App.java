package com.vibecraft.pipeline;

import com.vibecraft.pipeline.cli.BoundaryTrainer;
import com.vibecraft.pipeline.cli.KeyTrainer;
import com.vibecraft.pipeline.cli.MoodCheck;
import com.vibecraft.pipeline.cli.SequenceModelTrainer;
import com.vibecraft.pipeline.cli.SectionTypeTrainer;
import com.vibecraft.pipeline.cli.Cli;
import com.vibecraft.pipeline.cli.ComposeBench;
import com.vibecraft.pipeline.cli.ComposeCommand;
import com.vibecraft.pipeline.ops.JmxCommand;
import com.vibecraft.pipeline.ops.LogLevel;
import org.apache.camel.main.Main;

/**
 * Vibecraft Pipeline. No arguments (or {@code serve}) starts the service; {@code analyze} and
 * {@code bench} run the analysis from the command line without a server, {@code compose} makes a
 * music video from clips and a song.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        int code = run(args);
        System.exit(code);
    }

    static int run(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            // before anything logs: slf4j-simple fixes its level when the first logger is made
            LogLevel.apply();
            return switch (command) {
                case "serve" -> serve(rest);
                case "analyze" -> Cli.analyze(rest, System.out, System.err);
                case "bench" -> Cli.bench(rest, System.out, System.err);
                case "compose" -> ComposeCommand.run(rest, System.out, System.err);
                case "compose-bench" -> ComposeBench.run(rest, System.out, System.err);
                case "jmx" -> JmxCommand.run(rest, System.out, System.err);
                case "train-boundaries" -> BoundaryTrainer.run(rest, System.out, System.err);
                case "export-boundary-data" -> SequenceModelTrainer.export(rest, System.out, System.err);
                case "tune-sequence-model" -> SequenceModelTrainer.tune(rest, System.out, System.err);
                case "train-section-types" -> SectionTypeTrainer.run(rest, System.out, System.err);
                case "train-key" -> KeyTrainer.train(rest, System.out, System.err);
                case "key-score" -> KeyTrainer.score(rest, System.out, System.err);
                case "mood-check" -> MoodCheck.run(rest, System.out, System.err);
                case "-h", "--help", "help" -> {
                    System.out.print(Cli.USAGE);
                    yield 0;
                }
                default -> {
                    System.err.println("Unknown command '" + command + "'.");
                    System.err.print(Cli.USAGE);
                    yield 2;
                }
            };
        } catch (Exception e) {
            System.err.println("vibecraft-pipeline: " + Cli.rootMessage(e));
            return 1;
        }
    }

    static int serve(String[] args) throws Exception {
        Main main = new Main(App.class);
        int code = main.run(args);
        if (code != 0) {
            System.err.println("vibecraft-pipeline: the service stopped with errors (exit code " + code
                    + "); see the log above.");
        }
        return code;
    }
}
