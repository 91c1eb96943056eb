package org.dgquantum.trainer.shift;

/** The parameters drawn for one image: its domain label and the four effect strengths. */
public record ShiftParams(int domain, double brightness, double contrast, double sharpening, double noise) {
}
