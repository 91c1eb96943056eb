package org.dgquantum.trainer.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar on stderr: {@code name epoch e/E [#####.....] step s/S loss L acc A  x.xx s/step}, where L
 * is the class cross-entropy; the epoch line adds the total training score (class + domain CE + feature-norm
 * penalty), the validation figures (the AUC with its 95% interval), the epoch's wall time and the time left. On a terminal it redraws one line (also naming the silent
 * phases after the steps: BN recalibration, validation); otherwise (logs, CI) it prints a line at every 25% of an
 * epoch and at its end.
 */
public class Progress {
    // -Ddgq.memory=true (bench/rss-per-epoch.sh) adds a memory line after every epoch, to see a leak.
    private static final boolean MEMORY = Boolean.getBoolean("dgq.memory");
    private final PrintStream out;
    private final boolean interactive;
    private final String name;
    private long epochStart;
    private int lastQuarter = -1;
    private int epochsTimed;
    private double epochSecondsSum;
    private int laterEpochs;

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
            public void phase(String what) {
            }

            @Override
            public void epochEnd(TrainState.EpochRecord r, int epochs, boolean best) {
            }

            @Override
            public void message(String line) {
            }
        };
    }

    /**
     * Epochs that other runs will train after this one (the demo's later models): the ETA then covers them too,
     * at this run's pace.
     */
    public Progress laterEpochs(int epochs) {
        this.laterEpochs = epochs;
        return this;
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

    /** A silent stretch of an epoch after its steps (BN recalibration, validation): named on a terminal only. */
    public void phase(String what) {
        if (interactive) {
            out.print("\r\033[K" + name + " " + what + " ...");
            out.flush();
        }
    }

    /**
     * The epoch's line: losses, validation, the epoch's wall time (steps, BN recalibration, validation and
     * checkpoint; the steps alone in brackets) and the time left for this run, and for the later runs (see
     * {@link #laterEpochs}), at this process's pace so far.
     */
    public void epochEnd(TrainState.EpochRecord r, int epochs, boolean best) {
        if (interactive) {
            out.print("\r\033[K");
        }
        double wall = (System.nanoTime() - epochStart) / 1e9;
        epochsTimed++;
        epochSecondsSum += wall;
        double pace = epochSecondsSum / epochsTimed;
        int left = epochs - r.epoch();
        String eta;
        if (left + laterEpochs == 0) {
            eta = "";
        } else if (laterEpochs == 0) {
            eta = " | ETA " + duration(pace * left);
        } else if (left == 0) {
            eta = " | ETA " + duration(pace * laterEpochs) + " for the later models";
        } else {
            eta = " | ETA " + duration(pace * left) + " this model, " + duration(pace * (left + laterEpochs)) + " in all";
        }
        out.println(String.format(Locale.ROOT,
                "%s epoch %d/%d: loss %.4f (total %.4f) acc %.3f | validation loss %.4f acc %.3f AUC %.3f [%.2f, %.2f]"
                        + " | lambda %.3f | %.1f s (steps %.1f s)%s%s",
                name, r.epoch(), epochs, r.trainClassLoss(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(),
                r.validationAccuracy(), r.validationAuc(), r.validationAucLower(), r.validationAucUpper(), r.lambda(), wall, r.seconds(), best ? " (best)" : "", eta));
        if (MEMORY) {
            out.println(name + " memory after epoch " + r.epoch() + ": " + PeakMemory.summary());
        }
    }

    public void message(String line) {
        out.println(line);
    }

    /** "45 s", "12 min", "2.5 h". */
    static String duration(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 5400) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
