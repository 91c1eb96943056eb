package org.dgquantum.dl4j;

import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A "device" backend for ND4J's CPU backend, where an array's platform address is its host address: the
 * device entry points read and write that memory through Panama and compute with the Java backend. Every
 * device call is recorded (addresses, batch, precision, the inputs as they were read). The host-array methods
 * stay those of {@link CountingBackend}, so tests can tell which path a layer took.
 */
@SuppressWarnings("restricted") // MemorySegment.reinterpret: the surefire JVM has --enable-native-access
class FakeDeviceBackend extends CountingBackend implements DeviceBackend {
    /** One device call. */
    record Call(String kind, int batch, Precision precision, long[] addresses, double[] inputs, double[] weights,
                double[] upstream) {
    }

    final int device;
    final List<Call> calls = new ArrayList<>();

    FakeDeviceBackend(int device) {
        this.device = device;
    }

    @Override
    public String name() {
        return "fake-device:" + device;
    }

    @Override
    public int device() {
        return device;
    }

    @Override
    public synchronized void forwardDevice(Circuit c, int batch, Precision p, long x, long w, long z) {
        int n = batch * c.qubits();
        double[] in = read(x, n, p);
        double[] weights = read(w, c.weightCount(), p);
        calls.add(new Call("forward", batch, p, new long[] {x, w, z}, in, weights, null));
        double[] out = new double[n];
        if (p == Precision.FLOAT64) {
            inner.forward(c, batch, in, weights, out);
        } else { // float32 arithmetic, as a float32 kernel
            float[] outF = new float[n];
            inner.forward(c, batch, f(in), f(weights), outF);
            out = d(outF);
        }
        write(z, out, p);
    }

    @Override
    public synchronized void backwardDevice(Circuit c, int batch, Precision p, long x, long w, long g, long dx, long dw,
                                            Gradient method) {
        int n = batch * c.qubits();
        double[] in = read(x, n, p);
        double[] weights = read(w, c.weightCount(), p);
        double[] up = read(g, n, p);
        calls.add(new Call("backward", batch, p, new long[] {x, w, g, dx, dw}, in, weights, up));
        lastMethod = method;
        double[] dIn = new double[n];
        double[] dW = new double[c.weightCount()];
        if (p == Precision.FLOAT64) {
            inner.backward(c, batch, in, weights, up, dIn, dW, method);
        } else {
            float[] dInF = new float[n];
            float[] dWF = new float[c.weightCount()];
            inner.backward(c, batch, f(in), f(weights), f(up), dInF, dWF, method);
            dIn = d(dInF);
            dW = d(dWF);
        }
        write(dx, dIn, p);
        write(dw, dW, p);
    }

    long deviceCalls(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).count();
    }

    private static double[] read(long address, int count, Precision p) {
        if (address == 0) {
            throw new IllegalArgumentException("null device pointer");
        }
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(count * bytes(p));
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = p == Precision.FLOAT64 ? s.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        return v;
    }

    private static void write(long address, double[] v, Precision p) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(v.length * bytes(p));
        for (int i = 0; i < v.length; i++) {
            if (p == Precision.FLOAT64) {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v[i]);
            } else {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
            }
        }
    }

    private static float[] f(double[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    private static double[] d(float[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i];
        }
        return r;
    }

    private static long bytes(Precision p) {
        return p == Precision.FLOAT64 ? 8 : 4;
    }
}
