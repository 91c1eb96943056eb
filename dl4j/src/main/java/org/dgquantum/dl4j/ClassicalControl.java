package org.dgquantum.dl4j;

import org.dgquantum.engine.BatchChecks;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;

/**
 * Not quantum: the classical control of the ablation study. It stands in for the circuit inside the quantum
 * layer, so the layer keeps its projections W_q and W_r, its residual, its parameter vector (one weight per
 * circuit angle, the same count and layout) and its input and output shapes; only the map from the encoded
 * angles theta and the weights w to z in [-1, 1]^n changes. An experiment with and without it separates "the
 * circuit helps" from "an extra layer of this size helps".
 * <p>The map, for each sample (n = qubits, L = layers, k = rotations per qubit, w[l][q][r] in the circuit's
 * layout):
 * <pre>
 *   a_q = cos(theta_q)                                  (what the encoding alone reads out: &lt;Z&gt; of RY(theta)|0&gt;)
 *   for each layer l:  a_q = tanh(sum_r w[l][q][r] * f_r(q))
 *       f_0 = a_q, f_1 = a_(q-1 mod n) (the ring neighbour, as the CNOT ring couples them),
 *       f_2 = 1 (a bias), f_r = a_(q-r+1 mod n) for r >= 3 (farther neighbours)
 *   z_q = a_q
 * </pre>
 * The backward pass is its exact vector-Jacobian product (the gradient method is ignored: there is no
 * circuit to shift). Host memory only. Stateless, so one instance serves every layer and thread.
 */
public final class ClassicalControl implements QuantumBackend {
    /** The one instance. */
    public static final ClassicalControl INSTANCE = new ClassicalControl();

    private ClassicalControl() {
    }

    /**
     * The initial weights' range [-s, s] for k weights per unit: s = sqrt(3 / k) gives each pre-activation unit
     * variance when the a are of unit size (the circuit's angles use [-pi, pi], which would saturate tanh).
     */
    public static double initScale(int rotationsPerQubit) {
        return Math.sqrt(3.0 / rotationsPerQubit);
    }

    @Override
    public String name() {
        return "classical-control";
    }

    @Override
    public int maxQubits() {
        return 1 << 16; // no statevector: any width fits
    }

    @Override
    public void forward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer expectations) {
        BatchChecks.forward(c, this, batch, inputs, weights, expectations);
        HostBuffer x = (HostBuffer) inputs;
        HostBuffer w = (HostBuffer) weights;
        HostBuffer z = (HostBuffer) expectations;
        int n = c.qubits();
        double[][] a = new double[c.layers() + 1][n];
        for (int s = 0; s < batch; s++) {
            activations(c, x, w, s, a);
            for (int q = 0; q < n; q++) {
                z.set((long) s * n + q, a[c.layers()][q]);
            }
        }
    }

    @Override
    public void backward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer upstream,
                         QuantumBuffer inputGrad, QuantumBuffer weightGrad, Gradient method) {
        BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        HostBuffer x = (HostBuffer) inputs;
        HostBuffer w = (HostBuffer) weights;
        HostBuffer up = (HostBuffer) upstream;
        HostBuffer dx = (HostBuffer) inputGrad;
        HostBuffer dw = (HostBuffer) weightGrad;
        int n = c.qubits();
        int k = c.rotationsPerQubit();
        double[][] a = new double[c.layers() + 1][n];
        double[] dwSum = new double[c.weightCount()]; // summed in double over the batch, stored once
        double[] g = new double[n];
        double[] d = new double[n];
        for (int s = 0; s < batch; s++) {
            activations(c, x, w, s, a);
            for (int q = 0; q < n; q++) {
                g[q] = up.get((long) s * n + q);
            }
            for (int l = c.layers() - 1; l >= 0; l--) {
                double[] in = a[l];
                for (int q = 0; q < n; q++) {
                    double out = a[l + 1][q];
                    d[q] = g[q] * (1 - out * out);
                }
                java.util.Arrays.fill(g, 0);
                for (int q = 0; q < n; q++) {
                    for (int r = 0; r < k; r++) {
                        int i = c.weightIndex(l, q, r);
                        int src = source(q, r, n);
                        dwSum[i] += d[q] * (src < 0 ? 1 : in[src]);
                        if (src >= 0) {
                            g[src] += d[q] * w.get(i);
                        }
                    }
                }
            }
            for (int q = 0; q < n; q++) {
                dx.set((long) s * n + q, -g[q] * Math.sin(x.get((long) s * n + q)));
            }
        }
        for (int i = 0; i < dwSum.length; i++) {
            dw.set(i, dwSum[i]);
        }
    }

    /** a[0..L] of sample s. */
    private static void activations(Circuit c, HostBuffer x, HostBuffer w, int s, double[][] a) {
        int n = c.qubits();
        int k = c.rotationsPerQubit();
        for (int q = 0; q < n; q++) {
            a[0][q] = Math.cos(x.get((long) s * n + q));
        }
        for (int l = 0; l < c.layers(); l++) {
            for (int q = 0; q < n; q++) {
                double pre = 0;
                for (int r = 0; r < k; r++) {
                    int src = source(q, r, n);
                    pre += w.get(c.weightIndex(l, q, r)) * (src < 0 ? 1 : a[l][src]);
                }
                a[l + 1][q] = Math.tanh(pre);
            }
        }
    }

    /** The unit that feature r of unit q reads, or -1 for the bias (r = 2). */
    private static int source(int q, int r, int n) {
        return switch (r) {
            case 0 -> q;
            case 1 -> Math.floorMod(q - 1, n);
            case 2 -> -1;
            default -> Math.floorMod(q - r + 1, n);
        };
    }
}
