package org.dgquantum.engine.internal;

import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gate;

/**
 * A circuit with its weights bound, compiled once per call into what the per-sample kernels need:
 * one fused 2x2 matrix per (layer, qubit) block (all of its rotations multiplied together), the kind
 * of each block (real, diagonal or general) so the kernel can pick a cheaper loop, the gradient
 * generators for the adjoint method, and the entangler as one index permutation.
 *
 * <p>All in float64; float32 kernels round these few numbers once.
 */
public final class CircuitProgram {
    public static final byte GENERAL = 0;
    public static final byte REAL = 1;
    public static final byte DIAGONAL = 2;

    public final Circuit circuit;
    public final int qubits;
    public final int layers;
    public final int rotations;
    /** All amplitudes stay real (RY encoding, RY rotations): kernels skip imaginary parts. */
    public final boolean real;
    /** Fused block matrices, [layer][qubit][8]. */
    public final double[] blocks;
    /** Their conjugate transposes, for the backward sweep. */
    public final double[] blockDaggers;
    /** Kind of each block: GENERAL, REAL or DIAGONAL. */
    public final byte[] kinds;
    /**
     * Adjoint generators, [layer][qubit][rotation][8]: A_r = S P_r S^dagger where S is the product of
     * the rotations after r in the block. dE/dw = Im tr(A K) with K the overlap matrix after the block.
     */
    public final double[] generators;
    /** Generator of the encoding gate on each qubit seen after the layer-0 block, [qubit][8]. */
    public final double[] encodingGenerators;
    /** Columns of the entangler's index map and of its inverse; null when there are no CNOTs. */
    public final int[] entanglerColumns;
    public final int[] entanglerInverseColumns;

    private final double[] weights;

    public CircuitProgram(Circuit circuit, double[] weights) {
        this.circuit = circuit;
        this.qubits = circuit.qubits();
        this.layers = circuit.layers();
        this.rotations = circuit.rotationsPerQubit();
        this.real = circuit.isReal();
        this.weights = weights.clone();
        int blockCount = layers * qubits;
        this.blocks = new double[blockCount * 8];
        this.blockDaggers = new double[blockCount * 8];
        this.kinds = new byte[blockCount];
        this.generators = new double[blockCount * rotations * 8];
        for (int b = 0; b < blockCount; b++) {
            compileBlock(b);
        }
        this.encodingGenerators = new double[qubits * 8];
        double[] encodingPauli = Mat2.pauli(circuit.encoding());
        for (int q = 0; q < qubits; q++) {
            double[] a = layers == 0 ? encodingPauli : Mat2.conjugate(block(0, q), encodingPauli);
            System.arraycopy(a, 0, encodingGenerators, q * 8, 8);
        }
        int[][] cnots = circuit.entangler().cnots(qubits);
        if (cnots.length == 0) {
            entanglerColumns = null;
            entanglerInverseColumns = null;
        } else {
            LinearPermutation p = LinearPermutation.ofCnots(qubits, cnots);
            entanglerColumns = p.forwardColumns();
            entanglerInverseColumns = p.inverseColumns();
        }
    }

    /** The same program with one weight replaced (parameter shift). */
    public CircuitProgram withWeight(int index, double value) {
        double[] w = weights.clone();
        w[index] = value;
        return new CircuitProgram(circuit, w);
    }

    public double weight(int index) {
        return weights[index];
    }

    private double[] block(int layer, int qubit) {
        double[] m = new double[8];
        System.arraycopy(blocks, (layer * qubits + qubit) * 8, m, 0, 8);
        return m;
    }

    private void compileBlock(int b) {
        Gate[] gates = circuit.rotations().toArray(new Gate[0]);
        double[][] r = new double[rotations][];
        for (int k = 0; k < rotations; k++) {
            r[k] = Mat2.rotation(gates[k], weights[b * rotations + k]);
        }
        double[] fused = Mat2.identity();
        for (int k = 0; k < rotations; k++) {
            fused = Mat2.multiply(r[k], fused);
        }
        // S_k = product of the rotations after k; walk backwards so each S is one multiplication.
        double[] after = Mat2.identity();
        for (int k = rotations - 1; k >= 0; k--) {
            System.arraycopy(Mat2.conjugate(after, Mat2.pauli(gates[k])), 0, generators, (b * rotations + k) * 8, 8);
            after = Mat2.multiply(after, r[k]);
        }
        System.arraycopy(fused, 0, blocks, b * 8, 8);
        System.arraycopy(Mat2.dagger(fused), 0, blockDaggers, b * 8, 8);
        kinds[b] = Mat2.isDiagonal(fused) ? DIAGONAL : Mat2.isReal(fused) ? REAL : GENERAL;
    }
}
