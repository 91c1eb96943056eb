// GENERATED from GroupKernelF64.java by Float32Sources: do not edit. Edit GroupKernelF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * Statevector simulation of one group of samples ("lanes") of a batch, in float32: the entry points
 * of JavaBackend. By concern: {@link PreparationF32} (encoding and layer 0 as a product state),
 * {@link GatesF32} (blocks and entanglers), {@link ReadoutF32} (expectations), {@link AdjointF32}
 * and {@link ParameterShiftF32} (gradients), over the per-thread buffers of {@link WorkspaceF32};
 * every pass over a state runs in {@link LoopsF32#CHOSEN} (scalar or Vector API, chosen once per
 * process).
 *
 * <p>Layout: amplitude i of lane v is at {@code i * lanes + v}. All samples of a batch share the
 * weights, so every gate applies the same coefficients to every lane: the inner loops run over
 * contiguous memory, whatever qubit the gate acts on. Each lane is computed with the same scalar
 * operations, so a sample's result does not depend on its lane, its group, the batch or the
 * thread count.
 *
 * <p>TEMPLATE: the files of this package named with a precision suffix come in twins, one per
 * precision, one generated from the other by Float32Sources (engine tests; docs/engine.md, "Two
 * precisions"); a generated file says so in its first line. A {@code float} is the working
 * precision unless its local is marked {@link Wide}.
 */
public final class GroupKernelF32 {
    /** Lanes per group: one 64-byte cache line per amplitude (one AVX-512 vector). */
    public static final int MAX_LANES = 64 / Float.BYTES;
    /** Up to this many qubits a group keeps all lanes (a state array: 2^16 cache lines = 4 MiB). */
    private static final int FULL_LANES_UP_TO = 16;

    private GroupKernelF32() {
    }

    /**
     * Lanes per group for n qubits: all of them up to 16 qubits, so the lane-wise loops stay whole
     * vectors; above, fewer, so that memory stays bounded (n = 24: one lane).
     */
    public static int lanes(int qubits) {
        if (qubits <= FULL_LANES_UP_TO) {
            return MAX_LANES;
        }
        return Math.max(1, MAX_LANES >> (qubits - FULL_LANES_UP_TO));
    }

    /** Expectations of the rows of group {@code group}. */
    public static void forward(CircuitProgram p, int batch, float[] inputs, float[] out, int group) {
        forward(LoopsF32.CHOSEN, p, batch, inputs, out, group);
    }

    static void forward(LoopsF32 loops, CircuitProgram p, int batch, float[] inputs, float[] out, int group) {
        WorkspaceF32 w = WorkspaceF32.get(p.qubits, loops);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        GatesF32.evolve(p, w, inputs, row0, rows, -1, 0);
        ReadoutF32.readout(p, w, w.z);
        ReadoutF32.store(w, w.z, out, row0, rows, p.qubits);
    }

    /** Diagnostic: sum of |amplitude|^2 of the final state of each row of the group (1 up to rounding). */
    public static float[] norms(CircuitProgram p, int batch, float[] inputs, int group) {
        WorkspaceF32 w = WorkspaceF32.get(p.qubits, LoopsF32.CHOSEN);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        GatesF32.evolve(p, w, inputs, row0, rows, -1, 0);
        return ReadoutF32.norms(p, w, rows);
    }

    /**
     * Adjoint VJP of one group: writes the input gradients of its rows and adds its weight gradient
     * into {@code weightGrad} (the caller gives every group its own partial array).
     */
    public static void adjoint(CircuitProgram p, int batch, float[] inputs, float[] upstream,
                               float[] inputGrad, float[] weightGrad, int group) {
        adjoint(LoopsF32.CHOSEN, p, batch, inputs, upstream, inputGrad, weightGrad, group);
    }

    static void adjoint(LoopsF32 loops, CircuitProgram p, int batch, float[] inputs, float[] upstream,
                        float[] inputGrad, float[] weightGrad, int group) {
        WorkspaceF32 w = WorkspaceF32.get(p.qubits, loops);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        AdjointF32.vjp(p, w, inputs, upstream, inputGrad, weightGrad, row0, rows);
    }

    /**
     * Parameter-shift VJP of one group, like {@link #adjoint}; {@code plus[i]}, {@code minus[i]}: the
     * program with weight i shifted by +-pi/2.
     */
    public static void parameterShift(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int batch,
                                      float[] inputs, float[] upstream, float[] inputGrad, float[] weightGrad,
                                      int group) {
        parameterShift(LoopsF32.CHOSEN, p, plus, minus, batch, inputs, upstream, inputGrad, weightGrad, group, 0,
                ShiftSplit.units(p));
    }

    /**
     * Part of the parameter-shift VJP of one group: units {@code from} to {@code to} (exclusive) of
     * {@link ShiftSplit} (input qubit q is unit q, weight i unit n + i). It writes only the entries of
     * its units, with the bits the whole group would give them, so several parts of one group may run
     * at once on different threads (each thread has its own workspace) into the same arrays.
     */
    public static void parameterShift(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int batch,
                                      float[] inputs, float[] upstream, float[] inputGrad, float[] weightGrad,
                                      int group, int from, int to) {
        parameterShift(LoopsF32.CHOSEN, p, plus, minus, batch, inputs, upstream, inputGrad, weightGrad, group, from,
                to);
    }

    static void parameterShift(LoopsF32 loops, CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus,
                               int batch, float[] inputs, float[] upstream, float[] inputGrad,
                               float[] weightGrad, int group) {
        parameterShift(loops, p, plus, minus, batch, inputs, upstream, inputGrad, weightGrad, group, 0,
                ShiftSplit.units(p));
    }

    static void parameterShift(LoopsF32 loops, CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus,
                               int batch, float[] inputs, float[] upstream, float[] inputGrad,
                               float[] weightGrad, int group, int from, int to) {
        WorkspaceF32 w = WorkspaceF32.get(p.qubits, loops);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        ParameterShiftF32.vjp(p, plus, minus, w, inputs, upstream, inputGrad, weightGrad, row0, rows, from, to);
    }
}
