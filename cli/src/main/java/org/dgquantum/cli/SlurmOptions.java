package org.dgquantum.cli;

import org.dgquantum.sweeps.SlurmExecutor;
import picocli.CommandLine.Option;

/** The Slurm job options of {@code dgq sweep submit} and {@code dgq reproduce --executor slurm}. */
final class SlurmOptions {
    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition.")
    String partition;

    @Option(names = "--time", paramLabel = "T", description = "Time limit per task (Slurm format, e.g. 2:00:00).")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "C", defaultValue = "1",
            description = "Cores per task; its ND4J, OpenMP and quantum threads (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--mem", paramLabel = "M", description = "Memory per task (Slurm format, e.g. 8G).")
    String mem;

    @Option(names = "--gpus-per-task", paramLabel = "G", description = "GPUs per task (with backend: cuda in"
            + " the spec).")
    Integer gpus;

    @Option(names = "--max-parallel", paramLabel = "K", description = "Tasks running at a time (%%K of --array).")
    Integer maxParallel;

    @Option(names = "--account", paramLabel = "A", description = "Slurm account.")
    String account;

    /** The executor's options; checked by {@link SlurmExecutor.Options}. */
    SlurmExecutor.Options toOptions() {
        return new SlurmExecutor.Options(partition, time, cpus, mem, gpus, maxParallel, account);
    }
}
