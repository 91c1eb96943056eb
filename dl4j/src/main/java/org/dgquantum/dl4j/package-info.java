/**
 * The DG-Quantum residual quantum layer as a Deeplearning4j custom layer:
 * {@link org.dgquantum.dl4j.QuantumLayer} (configuration, JSON-serialisable),
 * {@link org.dgquantum.dl4j.QuantumParamInitializer} (W_q, W_r, circuit angles) and
 * {@link org.dgquantum.dl4j.QuantumLayerImpl} (the DL4J adapter over {@code ResidualQuantumCore}, the layer's
 * math and VJP, which calls the engine's {@link org.dgquantum.engine.QuantumBackend}: the one given with
 * {@code setBackend}, else the lazy default {@link org.dgquantum.dl4j.QuantumBackends#shared()}).
 */
package org.dgquantum.dl4j;
