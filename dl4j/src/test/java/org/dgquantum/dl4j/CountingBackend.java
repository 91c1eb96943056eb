package org.dgquantum.dl4j;

import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/** A Java backend that counts its calls and remembers the last gradient method asked for. */
class CountingBackend implements QuantumBackend {
    final JavaBackend inner = new JavaBackend(1);
    final AtomicInteger forwards = new AtomicInteger();
    final AtomicInteger backwards = new AtomicInteger();
    volatile Gradient lastMethod;
    volatile int lastBatch = -1;

    @Override
    public String name() {
        return "counting-java";
    }

    @Override
    public int maxQubits() {
        return inner.maxQubits();
    }

    @Override
    public void forward(Circuit c, int batch, QuantumBuffer in, QuantumBuffer w, QuantumBuffer out) {
        forwards.incrementAndGet();
        lastBatch = batch;
        inner.forward(c, batch, in, w, out);
    }

    @Override
    public void backward(Circuit c, int batch, QuantumBuffer in, QuantumBuffer w, QuantumBuffer up, QuantumBuffer dIn,
                         QuantumBuffer dW, Gradient m) {
        backwards.incrementAndGet();
        lastMethod = m;
        inner.backward(c, batch, in, w, up, dIn, dW, m);
    }

    @Override
    public void close() {
        inner.close();
    }
}
