/**
 * Faster CPU kernels for the two DL4J layer operations that a MobileNetV2 training step spends most of its
 * time in on ND4J 1.0.0-M2.1 (docs/trainer.md, "Where a training step goes"): batch normalization (forward
 * statistics and backward) and the ReLU6 derivative. They are written with the Vector API directly on the
 * native memory of ND4J's arrays and plug into DL4J through its own extension points (a
 * {@link org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper}, an
 * {@link org.nd4j.linalg.activations.IActivation}), so the layers, their parameters and their saved form stay
 * DL4J's. {@link org.dgquantum.nd4j.vector.VectorLayers} switches them off for comparison.
 */
package org.dgquantum.nd4j.vector;
