package io.streamrec.trainer.bench;

/**
 * One measured benchmark row.
 *
 * @param variant       variant label
 * @param factors       GMF factors ("-" if none)
 * @param layers        MLP layers ("-" if none), plus history length for the history variant
 * @param epochs        "best/run" epochs
 * @param hr            test HR@10 (NCF protocol)
 * @param ndcg          test NDCG@10 (NCF protocol)
 * @param validationHr  validation HR@10 of the selected epoch (NaN for baselines)
 * @param fullRecall    full-catalogue Recall@10 (NaN if not measured)
 * @param fullNdcg      full-catalogue NDCG@10 (NaN if not measured)
 * @param secondsPerEpoch mean training seconds per epoch
 * @param cpuSecondsPerEpoch mean process CPU seconds per epoch (all threads)
 * @param samplesPerSecond mean training samples per second
 * @param peakHeapMb    peak heap in use during the row, in MiB
 */
record BenchResult(
        String variant,
        String factors,
        String layers,
        String epochs,
        double hr,
        double ndcg,
        double validationHr,
        double fullRecall,
        double fullNdcg,
        double secondsPerEpoch,
        double cpuSecondsPerEpoch,
        double samplesPerSecond,
        double peakHeapMb) {

    /** This row under another variant label. */
    BenchResult withVariant(String label) {
        return new BenchResult(label, factors, layers, epochs, hr, ndcg, validationHr, fullRecall, fullNdcg,
                secondsPerEpoch, cpuSecondsPerEpoch, samplesPerSecond, peakHeapMb);
    }

    /** Markdown table header. */
    static String header(boolean full) {
        return "| variant | factors | layers | epochs (best/run) | HR@10 | NDCG@10 | val HR@10 |"
                + (full ? " full R@10 | full NDCG@10 |" : "")
                + " s/epoch | CPU s/epoch | samples/s | peak heap MiB |\n"
                + "|---|---|---|---|---|---|---|" + (full ? "---|---|" : "") + "---|---|---|---|";
    }

    /** This row as a markdown table line. */
    String markdown(boolean full) {
        return String.format(java.util.Locale.ROOT, "| %s | %s | %s | %s | %.4f | %.4f | %s |%s %s | %s | %s | %.0f |",
                variant, factors, layers, epochs, hr, ndcg, fmt(validationHr),
                full ? " " + fmt(fullRecall) + " | " + fmt(fullNdcg) + " |" : "",
                Double.isNaN(secondsPerEpoch) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", secondsPerEpoch),
                Double.isNaN(cpuSecondsPerEpoch) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", cpuSecondsPerEpoch),
                Double.isNaN(samplesPerSecond) ? "-" : String.format(java.util.Locale.ROOT, "%,.0f", samplesPerSecond),
                peakHeapMb);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
