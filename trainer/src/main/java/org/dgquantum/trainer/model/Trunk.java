package org.dgquantum.trainer.model;

/** The last convolutional vertex of an encoder and its channel count (before global pooling). */
record Trunk(String vertex, int channels) {
}
