package org.dgquantum.trainer.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar on stderr: {@code name epoch e/E [#####.....] step s/S loss L acc A  x.xx s/step}, where L
 * is the class cross-entropy; the epoch line adds the total training score (class + domain CE + feature-norm
 * penalty). On a terminal it redraws one line; otherwise (logs, CI) it prints a line at every 25% of an epoch
 * and at its end.
 */
public class Progress {
    // -Ddgq.memory=true (bench/rss-per-epoch.sh) adds a memory line after every epoch, to see a leak.
    private static final boolean MEMORY = Boolean.getBoolean("dgq.memory");
    private final PrintStream out;
    private final boolean interactive;
    private final String name;
    private long epochStart;
    private int lastQuarter = -1;

    public Progress(PrintStream out, boolean interactive, String name) {
        this.out = out;
        this.interactive = interactive;
        this.name = name;
    }

    /** Progress on stderr, redrawing when stderr is a terminal. */
    public static Progress stderr(String name) {
        java.io.Console console = System.console();
        return new Progress(System.err, console != null && console.isTerminal(), name);
    }

    /** Prints nothing (tests). */
    public static Progress silent() {
        return new Progress(null, false, "") {
            @Override
            public void step(int epoch, int epochs, int step, int steps, double loss, double acc) {
            }

            @Override
            public void epochEnd(TrainState.EpochRecord r, int epochs, boolean best) {
            }

            @Override
            public void message(String line) {
            }
        };
    }

    public void epochStart() {
        epochStart = System.nanoTime();
        lastQuarter = -1;
    }

    public void step(int epoch, int epochs, int step, int steps, double loss, double acc) {
        double sps = (System.nanoTime() - epochStart) / 1e9 / Math.max(1, step);
        int width = 24;
        int filled = (int) Math.round(width * (double) step / steps);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String line = String.format(Locale.ROOT, "%s epoch %d/%d [%s] step %d/%d loss %.4f acc %.3f %.2f s/step",
                name, epoch, epochs, bar, step, steps, loss, acc, sps);
        if (interactive) {
            out.print("\r" + line);
            out.flush();
        } else {
            int quarter = 4 * step / steps;
            if (quarter != lastQuarter && (quarter > 0 && quarter < 4)) {
                out.println(line);
            }
            lastQuarter = quarter;
        }
    }

    public void epochEnd(TrainState.EpochRecord r, int epochs, boolean best) {
        if (interactive) {
            out.print("\r\033[K");
        }
        out.println(String.format(Locale.ROOT,
                "%s epoch %d/%d: loss %.4f (total %.4f) acc %.3f | validation loss %.4f acc %.3f AUC %.3f | lambda %.3f"
                        + " | %.1f s%s",
                name, r.epoch(), epochs, r.trainClassLoss(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(),
                r.validationAccuracy(), r.validationAuc(), r.lambda(), r.seconds(), best ? " (best)" : ""));
        if (MEMORY) {
            out.println(name + " memory after epoch " + r.epoch() + ": " + PeakMemory.summary());
        }
    }

    public void message(String line) {
        out.println(line);
    }
}
