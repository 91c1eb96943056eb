/**
 * The DG-Quantum residual quantum layer as a Deeplearning4j custom layer:
 * {@link org.dgquantum.trainer.quantum.QuantumLayer} (configuration, JSON-serialisable),
 * {@link org.dgquantum.trainer.quantum.QuantumParamInitializer} (W_q, W_r, circuit angles) and
 * {@link org.dgquantum.trainer.quantum.QuantumLayerImpl} (forward and backward through the engine's
 * {@link org.dgquantum.engine.QuantumBackend}, by default {@link org.dgquantum.trainer.quantum.QuantumBackends#shared()}).
 */
package org.dgquantum.trainer.quantum;
