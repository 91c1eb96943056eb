package org.dgquantum.cli;

import org.dgquantum.engine.UserError;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.dgquantum.cli.DemoCommand;
import org.dgquantum.cli.PredictCommand;
import org.dgquantum.cli.SweepCommand;
import org.dgquantum.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code dgq} command line. Exit codes: 0 success, 1 internal error (a bug: stack trace on
 * stderr), 2 user error (bad arguments, malformed input, unavailable backend: one line on stderr).
 */
@Command(name = "dgq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Batched parameterized quantum circuits: simulation, gradients, benchmarks; the DG-Quantum"
                + " trainer (demo, train, predict, sweep, report).",
        subcommands = {CircuitCommand.class, BenchCommand.class, DemoCommand.class, TrainCommand.class,
            PredictCommand.class, SweepCommand.class, ReportCommand.class, ReproduceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code of every user error. */
    public static final int EXIT_USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage and fail. */
    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("dgq: missing command (circuit, bench, demo, train, predict, sweep, report, help)");
        cl.usage(cl.getErr());
        return EXIT_USER_ERROR;
    }

    /** The configured command line, as {@link #main} runs it; tests call {@code execute} on it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::badArguments);
        cl.setExecutionExceptionHandler(Main::failure);
        // One writer per stream for every subcommand (picocli otherwise makes one per command), so main can flush it.
        cl.setOut(cl.getOut());
        cl.setErr(cl.getErr());
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int status = cl.execute(args);
        // picocli's writers flush on println only: a command that ends with print() would lose its last output.
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(status);
    }

    /** Bad options: one line, naming the command and pointing at its help. */
    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        if (e instanceof CommandLine.UnmatchedArgumentException u && cl.getParent() == null
                && !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).equals(args.length > 0 ? args[0] : null)) {
            cl.getErr().println(name + ": unknown command '" + args[0] + "' (expected one of "
                    + String.join(", ", cl.getSubcommands().keySet()) + "; see '" + name + " --help')");
            return EXIT_USER_ERROR;
        }
        cl.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
        return EXIT_USER_ERROR;
    }

    /** A user error thrown from a subcommand prints its line; anything else is a bug. */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof UserError) {
            err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()));
            return EXIT_USER_ERROR;
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": internal error: " + e);
        e.printStackTrace(err);
        return 1;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Version from the jar manifest (Implementation-Version). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dgq " + (v == null ? "(development build)" : v)
                    + ", Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
