package org.dgquantum.bindings;

import java.util.List;
import java.util.Random;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.DeviceLayerOps;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;

/**
 * Run by ProbeMain in a JVM prepared by {@link EmulatedGpu}: CudaLayerOps on the emulated GPU against plain Java
 * loops in double. Prints one line per check ("OK what" or "FAIL what: detail"); the test reads them.
 */
final class LayerOpsProbe {
    private LayerOpsProbe() {
    }

    static void run() throws Exception {
        try (QuantumBackend b = EmulatedGpu.open()) {
            System.out.println("OPENED " + b.name());
            for (Precision p : Precision.values()) {
                double tol = p == Precision.FLOAT32 ? 2e-5 : 1e-12;
                try (DeviceLayerOps ops = b.openLayerOps(p)) {
                    System.out.println("LAYER OPS " + ops.name() + " " + p.id());
                    checks(ops, p, tol);
                    CudaLayerOps cuda = (CudaLayerOps) ops;
                    int before = cuda.allocationCount();
                    ops.recycle(List.of());
                    checks(ops, p, tol); // the same shapes again: all from the pool
                    report("pool reuse " + p.id(), cuda.allocationCount() == before,
                            "allocations grew from " + before + " to " + cuda.allocationCount());
                }
            }
            // a layer-ops instance left open is closed by the backend
            b.openLayerOps(Precision.FLOAT32).create(4, 4);
        }
        try (QuantumBackend b = EmulatedGpu.openWithJCublas()) {
            b.openLayerOps(Precision.FLOAT32).close();
            System.out.println("JCUBLAS opened (this machine has libcublas.so.12)");
        } catch (BackendUnavailableException e) {
            System.out.println("JCUBLAS UNAVAILABLE " + e.getMessage());
        }
    }

    private static void checks(DeviceLayerOps ops, Precision p, double tol) {
        Random rnd = new Random(7);
        int r = 5;
        int c = 3;
        int k = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double[] a = random(rnd, r * k);
                double[] bm = random(rnd, k * c);
                // a is op(a) = [r][k], stored transposed where ta; likewise b
                DeviceLayerOps.Matrix da = ops.upload(host(p, ta ? transpose(a, r, k) : a), ta ? k : r, ta ? r : k);
                DeviceLayerOps.Matrix db = ops.upload(host(p, tb ? transpose(bm, k, c) : bm), tb ? c : k, tb ? k : c);
                double[] got = download(ops, p, ops.matmul(da, ta, db, tb, 0.5));
                double[] want = new double[r * c];
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < c; j++) {
                        for (int l = 0; l < k; l++) {
                            want[i * c + j] += 0.5 * a[i * k + l] * bm[l * c + j];
                        }
                    }
                }
                compare("matmul ta=" + ta + " tb=" + tb + " " + p.id(), got, want, tol);
            }
        }
        double[] x = random(rnd, r * c);
        double[] y = random(rnd, r * c);
        DeviceLayerOps.Matrix dx = ops.upload(host(p, x), r, c);
        DeviceLayerOps.Matrix dy = ops.upload(host(p, y), r, c);
        double[] theta = download(ops, p, ops.piTanh(dx));
        double[] sum = download(ops, p, ops.add(dx, dy));
        double[] back = download(ops, p, ops.piTanhBackward(ops.upload(host(p, theta), r, c), dy));
        double[] wantTheta = new double[r * c];
        double[] wantSum = new double[r * c];
        double[] wantBack = new double[r * c];
        for (int i = 0; i < r * c; i++) {
            wantTheta[i] = Math.PI * Math.tanh(x[i]);
            wantSum[i] = x[i] + y[i];
            double t = theta[i] / Math.PI;
            wantBack[i] = y[i] * Math.PI * (1 - t * t);
        }
        compare("piTanh " + p.id(), theta, wantTheta, tol);
        compare("add " + p.id(), sum, wantSum, tol);
        compare("piTanhBackward " + p.id(), back, wantBack, tol);
        try {
            ops.matmul(dx, false, dy, false, 1);
            System.out.println("FAIL shape check: [5][3] x [5][3] accepted");
        } catch (IllegalArgumentException e) {
            System.out.println("OK shape check: " + e.getMessage());
        }
    }

    private static double[] random(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    private static HostBuffer host(Precision p, double[] v) {
        HostBuffer h = HostBuffer.allocate(p, v.length);
        for (int i = 0; i < v.length; i++) {
            h.set(i, v[i]);
        }
        return h;
    }

    private static double[] download(DeviceLayerOps ops, Precision p, DeviceLayerOps.Matrix m) {
        HostBuffer h = HostBuffer.allocate(p, m.rows() * m.cols());
        ops.download(m, h);
        double[] v = new double[(int) h.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = h.get(i);
        }
        return v;
    }

    private static void compare(String what, double[] got, double[] want, double tol) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
        }
        report(what, worst <= tol, "max error " + worst + " > " + tol);
    }

    private static void report(String what, boolean ok, String detail) {
        System.out.println(ok ? "OK " + what : "FAIL " + what + ": " + detail);
    }
}
