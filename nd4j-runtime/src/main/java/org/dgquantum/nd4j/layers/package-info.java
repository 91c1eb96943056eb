/**
 * Faster CPU paths for the DL4J layers that a MobileNetV2 training step spends most of its time in on ND4J
 * 1.0.0-M2.1 (docs/trainer.md, "Where a training step goes"): batch normalization (forward statistics and
 * backward, {@link org.dgquantum.nd4j.layers.VectorBatchNormHelper}), the ReLU6 derivative
 * ({@link org.dgquantum.nd4j.layers.VectorRelu6}), both written with the Vector API directly on the native
 * memory of ND4J's arrays, and a depthwise convolution that keeps its forward output for backprop instead of
 * computing it again ({@link org.dgquantum.nd4j.layers.CachingDepthwiseConvolution2D}). They plug into DL4J
 * through its own extension points (layer configurations, a batch-norm helper, an activation), so parameters,
 * behaviour and the saved form stay DL4J's apart from class names. {@link org.dgquantum.nd4j.layers.FastLayers}
 * switches them off for comparison.
 */
package org.dgquantum.nd4j.layers;
