package org.dgquantum.data;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A 3-D NIfTI-1 image (the first volume when there are more), values already scaled by scl_slope/scl_inter.
 *
 * @param file      where it was read from
 * @param nx        size along i (fastest varying)
 * @param ny        size along j
 * @param nz        size along k (axial slices for the usual RAS/LAS orientations)
 * @param dx        voxel size along i (mm, pixdim[1]; 1 when unset)
 * @param dy        voxel size along j
 * @param dz        voxel size along k
 * @param datatype  NIfTI datatype code of the stored values
 * @param order     byte order of the file
 * @param data      values, index i + nx * (j + ny * k)
 */
public record NiftiVolume(Path file, int nx, int ny, int nz, double dx, double dy, double dz, int datatype,
        ByteOrder order, float[] data) {

    public float get(int i, int j, int k) {
        return data[i + nx * (j + ny * k)];
    }

    /** The axial slice k as a row-major [ny][nx] image (row j, column i), raw values. */
    public float[] axialSlice(int k) {
        float[] out = new float[nx * ny];
        System.arraycopy(data, nx * ny * k, out, 0, nx * ny);
        return out;
    }
}
