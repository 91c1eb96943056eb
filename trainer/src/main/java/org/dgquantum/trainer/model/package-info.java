/**
 * The networks of the trainer as Deeplearning4j ComputationGraphs.
 *
 * <ul>
 *   <li>{@link org.dgquantum.trainer.model.Encoders}: MobileNetV2, ResNet-18, EfficientNet-B0 and a small
 *       CNN ({@link org.dgquantum.trainer.model.EncoderType}), each followed by global average pooling and a
 *       linear projection to the feature h. At width 1 with RGB input the trunks have exactly the trainable
 *       parameter counts of the torchvision models (tested).</li>
 *   <li>{@link org.dgquantum.trainer.model.DgQuantumGraph}: encoder -> h -> feature-norm penalty ->
 *       quantum layer -> class head, and h -> gradient reversal -> domain head; the baselines are the same
 *       graph without quantum layer and domain head.</li>
 *   <li>{@link org.dgquantum.dl4j.GradientReversal}, {@link org.dgquantum.dl4j.FeatureNorm}
 *       and {@link org.dgquantum.trainer.model.ChannelScaleVertex} (squeeze-and-excitation): the custom
 *       layers and vertex the graphs need.</li>
 *   <li>{@link org.dgquantum.trainer.model.ParameterCounts}: counts from a configuration, without allocating.</li>
 * </ul>
 */
package org.dgquantum.trainer.model;
