package io.streamrec.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.cli.TrainerCli;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.Variant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void parsesRowSpecs() {
        assertThat(BenchRow.parse("gmf:8").model().gmfFactors()).isEqualTo(8);
        assertThat(BenchRow.parse("mlp:64-32-16-8").model().mlpLayers()).containsExactly(64, 32, 16, 8);
        assertThat(BenchRow.parse("aneumf:32:64-32-16-8").model().variant()).isEqualTo(Variant.ANEUMF);
        var history = BenchRow.parse("history:64:-:50").model();
        assertThat(history.historyLength()).isEqualTo(50);
        assertThat(history.mlpLayers()).isEmpty();
        assertThat(BenchRow.parse("history:8:16-8:20:nouser").model().userEmbedding()).isFalse();
        assertThat(BenchRow.parse("history:8:16-8:20:nouser:recent").model())
                .extracting(ModelConfig::userEmbedding, ModelConfig::attentionQuery)
                .containsExactly(false, AttentionQuery.RECENT);
        assertThat(BenchRow.parse("history:8:16-8:20").model().attentionQuery()).isEqualTo(AttentionQuery.CANDIDATE);
        assertThat(BenchRow.parse("popularity").model()).isNull();
        assertThat(BenchRow.seedSuite()).contains("gmf:32", "mlp:256-256-128-64", "neumf:32:128-128-64-32",
                "aneumf:32:32-32-16-8", BenchRow.HISTORY_DEFAULT);
    }

    @Test
    void benchWritesAMarkdownTable() throws Exception {
        Path out = dir.resolve("bench.md");
        Run run = run("bench", "--data", "synthetic", "--rows", "popularity,gmf:8@lr=0.01,history:8:-:5@epochs=1",
                "--epochs", "2", "--batch", "1024", "--threads", "2", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("written to " + out.toAbsolutePath());
        String table = Files.readString(out);
        assertThat(table).contains("| variant | factors | layers | epochs (best/run) | HR@10 | NDCG@10 |");
        assertThat(table).contains("| popularity |", "| gmf | 8 |", "| history-aneumf | 8 |");
    }

    @Test
    void autoSelectsOnValidationMeasuresBaselinesBesideAndWritesTheWinnersGraph() throws Exception {
        Path out = dir.resolve("auto.md");
        Path graph = dir.resolve("winner.onnx");
        Run run = run("bench", "--data", "synthetic", "--rows", "auto", "--candidates", "gmf:8,ease",
                "--baselines", "popularity,item-knn", "--epochs", "2", "--batch", "1024", "--threads", "2",
                "--save-onnx", graph.toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String table = Files.readString(out);
        assertThat(table).contains("Selection on validation (hr@10)", "| item-knn | baseline |",
                "| popularity (baseline) |", "| item-knn (baseline) |");
        assertThat(table).containsPattern("\\*\\*(gmf|ease) \\(selected\\)\\*\\*");
        assertThat(table).containsPattern("(gmf|ease) wins with validation hr@10 0\\.\\d{4} against (gmf|ease)");
        assertThat(graph).isNotEmptyFile();
    }

    @Test
    void baselinesAreRowsTunedOnValidation() throws Exception {
        Path out = dir.resolve("baselines.md");
        Run run = run("bench", "--data", "synthetic", "--rows", "ease,item-knn", "--threads", "2", "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("tuned on validation: lambda", "tuned on validation: neighbours");
        assertThat(Files.readString(out)).contains("| ease | - | lambda ", "| item-knn | - | neighbours ");
    }

    @Test
    void hiddenUsersAreRankedFromTheirHistoryAndTheGraphIsSaved() {
        Run run = run("bench", "--data", "synthetic", "--rows", "history:8:16-8:5:recent@epochs=1", "--batch", "1024",
                "--threads", "2", "--hide-users", "5", "--save-onnx", dir.resolve("graphs").toString(), "--out",
                dir.resolve("bench.md").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("unseen users \\(every 5-th, hidden from training\\) as the unknown"
                        + " user: HR@10=[0-9.]+ NDCG@10=[0-9.]+ \\(n=\\d+\\); popularity HR@10=")
                .contains("every 5-th user hidden", "gate factored");
        assertThat(dir.resolve("graphs").resolve("history_8_16-8_5_recent_epochs_1.onnx")).isNotEmptyFile();
    }

    @Test
    void refitRetrainsOnAllTrainingDataForTheEpochsChosenOnValidation() throws Exception {
        Path out = dir.resolve("refit.md");
        Run run = run("bench", "--data", "synthetic", "--rows", "gmf:8@lr=0.01", "--epochs", "4", "--patience", "0",
                "--batch", "1024", "--threads", "2", "--refit", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String printed = run.out();
        Matcher chosen = Pattern.compile("test \\(refit on all training data, epochs (\\d+)\\): HR@10=")
                .matcher(printed);
        assertThat(chosen.find()).as(printed).isTrue();
        int epochs = Integer.parseInt(chosen.group(1));
        assertThat(epochs).isBetween(1, 4);
        assertThat(printed.lines().filter(line -> line.startsWith("  refit epoch")).count()).isEqualTo(epochs);
        assertThat(printed.lines().filter(line -> line.startsWith("  epoch")).count()).isEqualTo(4);
        assertThat(Files.readString(out)).contains("test measured after a refit on all training data",
                "| gmf | 8 | - | " + epochs + "/4 |");
    }

    @Test
    void cliPrintsUsageWithoutASubcommand() {
        Run usage = run();
        assertThat(usage.exitCode()).isZero();
        assertThat(usage.out()).contains("Usage: trainer", "bench", "keygen", "republish");
        Run help = run("bench", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: trainer bench", "--hide-users");
    }

    /** What a command printed, captured through picocli's own streams (no global stream is swapped). */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
