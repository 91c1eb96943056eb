package org.dgquantum.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dgquantum.sweeps.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dgq sweep}: many training runs from one spec. So far: {@code plan}; running them comes next (issue 11). */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Many training runs from one spec (base options, axes of values, extra runs).",
        subcommands = {SweepCommand.Plan.class})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code dgq sweep plan SPEC}: the runs a spec expands to and their directories; runs nothing. */
    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Expands a sweep spec (YAML or JSON) into its runs and prints each run's directory (a"
                    + " readable prefix and a hash of its whole configuration) and the options it varies. Every run is"
                    + " validated; nothing is run or written.",
                "Spec: base: {option: value, ...}, axes: {option: [values], ...} (every combination), runs: [{option:"
                        + " value, ...}, ...] (more runs). Options are those of dgq train without the dashes (model,"
                        + " seed, qubits, layers, image-size, ...). Example: examples/sweeps/tiny.yaml."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:success", "1:internal error", "2:bad spec"})
    static final class Plan implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "The sweep spec (.yaml, .yml or .json).")
        Path file;

        @Override
        public Integer call() {
            SweepPlan plan = Commands.run(() -> SweepPlan.read(file));
            var out = spec.commandLine().getOut();
            out.println(plan.runs().size() + " runs from " + file + ":");
            for (SweepPlan.Run r : plan.runs()) {
                out.println(String.format("%4d  %-48s %s", r.index(), r.directory(), describe(r.options())));
            }
            return 0;
        }

        private static String describe(Map<String, String> options) {
            return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }
    }
}
