package org.dgquantum.bindings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.dgquantum.engine.Precision;

/**
 * cuBLAS's gemm and geam contract (column-major, leading dimensions, transposes) on host memory, whose addresses
 * stand in for device pointers under the stub driver: lets {@link CudaLayerOps} run without a GPU, including its
 * row-major to column-major mapping. Sums in double, as a reference should.
 */
@SuppressWarnings("restricted") // reads raw addresses
final class HostBlas implements DeviceBlas {
    int gemmCalls;
    int geamCalls;

    @Override
    public String name() {
        return "host BLAS (test)";
    }

    @Override
    public void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                     long b, int ldb, double beta, long c, int ldc) {
        gemmCalls++;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    double av = transA ? get(p, a, l + (long) i * lda) : get(p, a, i + (long) l * lda);
                    double bv = transB ? get(p, b, j + (long) l * ldb) : get(p, b, l + (long) j * ldb);
                    sum += av * bv;
                }
                long at = i + (long) j * ldc;
                set(p, c, at, alpha * sum + (beta == 0 ? 0 : beta * get(p, c, at)));
            }
        }
    }

    @Override
    public void geam(Precision p, int m, int n, double alpha, long a, int lda, double beta, long b, int ldb, long c, int ldc) {
        geamCalls++;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                set(p, c, i + (long) j * ldc, alpha * get(p, a, i + (long) j * lda) + beta * get(p, b, i + (long) j * ldb));
            }
        }
    }

    private static double get(Precision p, long address, long index) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE);
        return p == Precision.FLOAT32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index);
    }

    private static void set(Precision p, long address, long index, double v) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE);
        if (p == Precision.FLOAT32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index, (float) v);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index, v);
        }
    }

    @Override
    public void close() {
    }
}
