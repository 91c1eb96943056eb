package org.dgquantum.dl4j;

import org.dgquantum.engine.BatchChecks;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.DeviceBuffer;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBuffer;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that accepts "device" memory of one device ordinal, for ND4J's CPU backend, where an array's
 * platform address is its host address: it reads and writes that memory through Panama and computes with the
 * Java backend. Every call on device buffers is recorded (addresses, batch, precision, the inputs as they were
 * read); calls on host buffers are only counted, as by {@link CountingBackend}, so tests can tell which memory
 * a layer handed over.
 */
@SuppressWarnings("restricted") // MemorySegment.reinterpret: the surefire JVM has --enable-native-access
class FakeDeviceBackend extends CountingBackend {
    /** One call on device buffers. */
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
    public boolean acceptsDevice(int d) {
        return d == device;
    }

    @Override
    public synchronized void forward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer z) {
        if (!(x instanceof DeviceBuffer)) {
            super.forward(c, batch, x, w, z);
            return;
        }
        BatchChecks.forward(c, this, batch, x, w, z);
        calls.add(new Call("forward", batch, x.precision(), addresses(x, w, z), host(x).toDoubleArray(),
                host(w).toDoubleArray(), null));
        inner.forward(c, batch, host(x), host(w), host(z));
    }

    @Override
    public synchronized void backward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer g,
                                      QuantumBuffer dx, QuantumBuffer dw, Gradient method) {
        if (!(x instanceof DeviceBuffer)) {
            super.backward(c, batch, x, w, g, dx, dw, method);
            return;
        }
        BatchChecks.backward(c, this, batch, x, w, g, dx, dw, method);
        calls.add(new Call("backward", batch, x.precision(), addresses(x, w, g, dx, dw), host(x).toDoubleArray(),
                host(w).toDoubleArray(), host(g).toDoubleArray()));
        lastMethod = method;
        inner.backward(c, batch, host(x), host(w), host(g), host(dx), host(dw), method);
    }

    long deviceCalls(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).count();
    }

    /** The "device" memory as the host memory it is on ND4J's CPU backend. */
    private static HostBuffer host(QuantumBuffer b) {
        DeviceBuffer d = (DeviceBuffer) b;
        return HostBuffer.of(MemorySegment.ofAddress(d.address()).reinterpret(d.length() * d.precision().bytes()),
                d.precision());
    }

    private static long[] addresses(QuantumBuffer... buffers) {
        long[] a = new long[buffers.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((DeviceBuffer) buffers[i]).address();
        }
        return a;
    }
}
