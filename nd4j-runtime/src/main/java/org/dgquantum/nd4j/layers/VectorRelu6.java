package org.dgquantum.nd4j.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU6, min(max(x, 0), 6), with its derivative as one vector pass: dL/dx = dL/dy where 0 &lt; x &lt; 6, else
 * 0 (ND4J's op computes the same values through a per-element function call). The forward pass is ND4J's.
 * Bit for bit the same results as {@link ActivationReLU6}; arrays that are not dense float32 go to it.
 */
public class VectorRelu6 extends ActivationReLU6 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Elements per work item of the thread split. */
    private static final int BLOCK = 1 << 14;

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        if (!FastLayers.enabled() || !Segments.denseFloat(in) || !Segments.denseFloat(epsilon)
                || in.length() != epsilon.length()) {
            return super.backprop(in, epsilon);
        }
        assertShape(in, epsilon);
        MemorySegment x = Segments.of(in);
        MemorySegment dy = Segments.of(epsilon);
        long n = in.length();
        int blocks = (int) ((n + BLOCK - 1) / BLOCK);
        Split.run(blocks, n, (from, to) -> derivative(x, dy, (long) from * BLOCK, Math.min(n, (long) to * BLOCK)));
        return new Pair<>(in, null);
    }

    /** x[i] = 0 &lt; x[i] &lt; 6 ? dy[i] : 0 for i in [from, to). */
    static void derivative(MemorySegment x, MemorySegment dy, long from, long to) {
        long i = from;
        FloatVector zero = FloatVector.zero(S);
        for (long up = from + S.loopBound(to - from); i < up; i += S.length()) {
            long o = i * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(S, x, o, ORDER);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
            zero.blend(FloatVector.fromMemorySegment(S, dy, o, ORDER), inside).intoMemorySegment(x, o, ORDER);
        }
        for (; i < to; i++) {
            float v = x.getAtIndex(F, i);
            x.setAtIndex(F, i, v > 0f && v < 6f ? dy.getAtIndex(F, i) : 0f);
        }
    }

    @Override
    public String toString() {
        return "relu6";
    }
}
