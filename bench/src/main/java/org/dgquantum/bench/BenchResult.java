package org.dgquantum.bench;

/**
 * One measured configuration.
 *
 * @param backend     "java", "native", "cuda"
 * @param method      "forward", "adjoint", "parameter-shift"
 * @param threads     worker threads of the Java backend; 0 for a backend that picks its own
 * @param usPerSample median over the measurement iterations of (microseconds per call / batch)
 * @param minUs       fastest iteration, microseconds per sample
 * @param maxUs       slowest iteration, microseconds per sample
 * @param iterations  measurement iterations behind the median
 * @param cpus        process CPU time / wall time of the benchmark JVM over those iterations: the
 *                    processors it really got (NaN if unknown); well below the thread count means
 *                    other work on the machine took the rest
 */
public record BenchResult(String backend, String method, int qubits, int layers, int batch, String precision,
                          int threads, double usPerSample, double minUs, double maxUs, long iterations,
                          double cpus) {

    /** Key of a table row: everything but backend and threads. */
    public String rowKey() {
        return method + "|" + qubits + "|" + layers + "|" + batch + "|" + precision;
    }
}
