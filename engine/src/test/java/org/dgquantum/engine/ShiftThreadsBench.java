package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a main that times parameter shift (the bench circuit: RY encoding, L layers of RX RY RZ,
 * ring) at 1 and 2 threads, alternating the thread counts call by call, and prints the medians per
 * call of: wall milliseconds (and the fastest call), the CPU time of all threads, and the CPU time of the busiest thread
 * (with the speed-up over 1 thread that it implies: the critical path on idle cores, a measure that
 * survives a machine shared with other work, where wall time does not). Usage (after mvn test-compile, from the repository root):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 *     org.dgquantum.engine.ShiftThreadsBench 12x16,14x4 float32,float64 [rounds] [layers] [threads...]
 * </pre>
 */
public final class ShiftThreadsBench {
    private ShiftThreadsBench() {
    }

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "12x16,14x4").split(",");
        String[] precisions = (args.length > 1 ? args[1] : "float32,float64").split(",");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int layers = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int[] threads = args.length > 4 ? Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};
        for (String size : sizes) {
            int n = Integer.parseInt(size.split("x")[0]);
            int batch = Integer.parseInt(size.split("x")[1]);
            Circuit c = Circuit.of(n, layers, "RY", List.of("RX", "RY", "RZ"), "ring");
            Random r = new Random(1);
            double[] x = new double[batch * n];
            double[] w = new double[c.weightCount()];
            double[] g = new double[batch * n];
            for (double[] a : new double[][] {x, w, g}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextDouble() * 2 - 1;
                }
            }
            for (String precision : precisions) {
                boolean f32 = precision.equals("float32");
                List<JavaBackend> backends = new ArrayList<>();
                for (int t : threads) {
                    backends.add(new JavaBackend(t));
                }
                double[][] ms = new double[threads.length][rounds];
                double[][] threadSum = new double[threads.length][rounds];
                double[][] busiest = new double[threads.length][rounds];
                for (int round = -3; round < rounds; round++) { // rounds -3..-1: warm-up
                    for (int k = 0; k < threads.length; k++) {
                        java.util.Map<Long, Long> before = threadCpuNanos();
                        long t0 = System.nanoTime();
                        if (f32) {
                            backends.get(k).backward(c, batch, toFloat(x), toFloat(w), toFloat(g), new float[x.length],
                                    new float[w.length], Gradient.PARAMETER_SHIFT);
                        } else {
                            backends.get(k).backward(c, batch, x, w, g, new double[x.length], new double[w.length],
                                    Gradient.PARAMETER_SHIFT);
                        }
                        if (round >= 0) {
                            ms[k][round] = (System.nanoTime() - t0) / 1e6;
                            java.util.Map<Long, Long> after = threadCpuNanos();
                            long max = 0;
                            long sum = 0;
                            for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
                                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                                max = Math.max(max, d);
                                sum += d;
                            }
                            busiest[k][round] = max / 1e6;
                            threadSum[k][round] = sum / 1e6;
                        }
                    }
                }
                StringBuilder line = new StringBuilder(String.format("%-6s %-8s L=%d", size, precision, layers));
                double base = median(ms[0]);
                double baseCpu = median(busiest[0]);
                for (int k = 0; k < threads.length; k++) {
                    double m = median(ms[k]);
                    line.append(String.format(
                            "  %d thr: wall %.1f ms (x%.2f; min %.1f, x%.2f), cpu %.1f ms, busiest thread %.1f ms (x%.2f)",
                            threads[k], m, base / m, min(ms[k]), min(ms[0]) / min(ms[k]), median(threadSum[k]),
                            median(busiest[k]), baseCpu / median(busiest[k])));
                }
                System.out.println(line);
                backends.forEach(JavaBackend::close);
            }
        }
    }

    /** CPU time of every live thread: the busiest one's share of a call is its critical path on idle cores. */
    private static java.util.Map<Long, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                m.put(id, t);
            }
        }
        return m;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
