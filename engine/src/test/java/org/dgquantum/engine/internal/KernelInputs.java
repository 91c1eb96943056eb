package org.dgquantum.engine.internal;

import java.util.Random;

/** Inputs for tests that call the group kernels directly: random values and the shifted programs of parameter shift. */
final class KernelInputs {
    private KernelInputs() {
    }

    /** Every weight of p shifted by shift, one program each (what JavaBackend prepares for parameter shift). */
    static CircuitProgram[] shifted(CircuitProgram p, double shift) {
        CircuitProgram[] out = new CircuitProgram[p.circuit.weightCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.withWeight(i, p.weight(i) + shift);
        }
        return out;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
