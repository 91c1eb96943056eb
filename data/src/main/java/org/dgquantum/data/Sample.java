package org.dgquantum.data;

import java.util.Objects;

/**
 * One labelled grayscale image.
 *
 * @param id         stable sample identifier (written to predictions.csv)
 * @param label      0 = normal, 1 = lesion / positive
 * @param domain     index of the center (or virtual domain) in the owning {@link Dataset#domainNames()}
 * @param domainName name of that center or domain
 * @param height     image height in pixels
 * @param width      image width in pixels
 * @param pixels     row-major intensities in [0, 1], length height * width (not copied; treat as read-only)
 */
public record Sample(String id, int label, int domain, String domainName, int height, int width, float[] pixels) {

    public static final int NORMAL = 0;
    public static final int LESION = 1;

    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domainName, "domainName");
        Objects.requireNonNull(pixels, "pixels");
        if (label != NORMAL && label != LESION) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label + " for " + id);
        }
        if (domain < 0) {
            throw new IllegalArgumentException("domain must be >= 0, got " + domain + " for " + id);
        }
        if (height <= 0 || width <= 0 || pixels.length != height * width) {
            throw new IllegalArgumentException("pixels has length " + pixels.length + " but the image is "
                    + height + "x" + width + " for " + id);
        }
    }

    /** Builds a sample from a [H][W] image (copied). */
    public static Sample of(String id, int label, int domain, String domainName, float[][] image) {
        int h = image.length;
        int w = h == 0 ? 0 : image[0].length;
        float[] p = new float[h * w];
        for (int y = 0; y < h; y++) {
            if (image[y].length != w) {
                throw new IllegalArgumentException("ragged image rows in " + id);
            }
            System.arraycopy(image[y], 0, p, y * w, w);
        }
        return new Sample(id, label, domain, domainName, h, w, p);
    }

    public float pixel(int y, int x) {
        return pixels[y * width + x];
    }

    /** A [H][W] copy of the image. */
    public float[][] image() {
        float[][] img = new float[height][width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, img[y], 0, width);
        }
        return img;
    }

    /** Same sample with other pixels (same size). */
    public Sample withPixels(float[] newPixels) {
        return new Sample(id, label, domain, domainName, height, width, newPixels);
    }

    /** Same sample re-assigned to another domain. */
    public Sample withDomain(int newDomain, String newDomainName) {
        return new Sample(id, label, newDomain, newDomainName, height, width, pixels);
    }

    public boolean isLesion() {
        return label == LESION;
    }
}
