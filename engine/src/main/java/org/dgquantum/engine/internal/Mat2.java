package org.dgquantum.engine.internal;

import org.dgquantum.engine.Gate;

/**
 * 2x2 complex matrices as double[8] = {m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i}.
 * Used once per call to build fused gates and gradient generators, never per amplitude.
 */
public final class Mat2 {
    private Mat2() {
    }

    public static double[] identity() {
        return new double[] {1, 0, 0, 0, 0, 0, 1, 0};
    }

    /** RX(t) = [[c, -is], [-is, c]], RY(t) = [[c, -s], [s, c]], RZ(t) = diag(e^{-it/2}, e^{it/2}). */
    public static double[] rotation(Gate g, double t) {
        double c = Math.cos(0.5 * t);
        double s = Math.sin(0.5 * t);
        return switch (g) {
            case RX -> new double[] {c, 0, 0, -s, 0, -s, c, 0};
            case RY -> new double[] {c, 0, -s, 0, s, 0, c, 0};
            case RZ -> new double[] {c, -s, 0, 0, 0, 0, c, s};
        };
    }

    /** The Pauli matrix that generates the rotation: R(t) = exp(-i t P / 2). */
    public static double[] pauli(Gate g) {
        return switch (g) {
            case RX -> new double[] {0, 0, 1, 0, 1, 0, 0, 0};
            case RY -> new double[] {0, 0, 0, -1, 0, 1, 0, 0};
            case RZ -> new double[] {1, 0, 0, 0, 0, 0, -1, 0};
        };
    }

    /** a * b. */
    public static double[] multiply(double[] a, double[] b) {
        double[] m = new double[8];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                double re = 0;
                double im = 0;
                for (int k = 0; k < 2; k++) {
                    int ai = (r * 2 + k) * 2;
                    int bi = (k * 2 + c) * 2;
                    re += a[ai] * b[bi] - a[ai + 1] * b[bi + 1];
                    im += a[ai] * b[bi + 1] + a[ai + 1] * b[bi];
                }
                m[(r * 2 + c) * 2] = re;
                m[(r * 2 + c) * 2 + 1] = im;
            }
        }
        return m;
    }

    /** Conjugate transpose. */
    public static double[] dagger(double[] a) {
        return new double[] {a[0], -a[1], a[4], -a[5], a[2], -a[3], a[6], -a[7]};
    }

    /** u p u^dagger: the generator p seen after the gates u that follow it. */
    public static double[] conjugate(double[] u, double[] p) {
        return multiply(multiply(u, p), dagger(u));
    }

    /** True when every imaginary part is exactly zero. */
    public static boolean isReal(double[] m) {
        return m[1] == 0 && m[3] == 0 && m[5] == 0 && m[7] == 0;
    }

    /** True when both off-diagonal entries are exactly zero. */
    public static boolean isDiagonal(double[] m) {
        return m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 0;
    }
}
