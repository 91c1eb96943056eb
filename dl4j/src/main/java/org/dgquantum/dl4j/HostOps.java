package org.dgquantum.dl4j;

import java.util.Arrays;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The quantum layer's matrices in host memory: row-major {@link HostBuffer}s of the layer's precision, read from
 * and written to ND4J arrays by copy. The layer's arrays are small ([batch][d] at most), so plain Java loops
 * beat a handful of ND4J ops on them (op dispatch, thread wake-ups). Sums accumulate in double and are stored
 * in the layer's precision. The default path, and the only one with ND4J's CPU backend.
 */
final class HostOps implements ResidualQuantumCore.Ops<HostOps.Matrix> {

    /** A row-major [rows][cols] matrix. */
    record Matrix(HostBuffer data, int rows, int cols) {
        double get(int r, int c) {
            return data.get((long) r * cols + c);
        }
    }

    private final Precision precision;

    HostOps(Precision precision) {
        this.precision = precision;
    }

    @Override
    public Matrix matmul(Matrix a, boolean ta, Matrix b, boolean tb, double scale) {
        int m = ta ? a.cols() : a.rows();
        int k = ta ? a.rows() : a.cols();
        int n = tb ? b.rows() : b.cols();
        Matrix out = create(m, n);
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double av = ta ? a.get(p, i) : a.get(i, p);
                if (av != 0) {
                    for (int j = 0; j < n; j++) {
                        row[j] += av * (tb ? b.get(j, p) : b.get(p, j));
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                out.data().set((long) i * n + j, scale * row[j]);
            }
        }
        return out;
    }

    @Override
    public Matrix piTanh(Matrix x) {
        Matrix out = create(x.rows(), x.cols());
        for (long i = 0; i < x.data().length(); i++) {
            out.data().set(i, Math.PI * Math.tanh(x.data().get(i)));
        }
        return out;
    }

    @Override
    public Matrix piTanhBackward(Matrix theta, Matrix dTheta) {
        Matrix out = create(theta.rows(), theta.cols());
        for (long i = 0; i < theta.data().length(); i++) {
            double t = theta.data().get(i) / Math.PI;
            out.data().set(i, dTheta.data().get(i) * Math.PI * (1 - t * t));
        }
        return out;
    }

    @Override
    public Matrix add(Matrix a, Matrix b) {
        Matrix out = create(a.rows(), a.cols());
        for (long i = 0; i < a.data().length(); i++) {
            out.data().set(i, a.data().get(i) + b.data().get(i));
        }
        return out;
    }

    @Override
    public Matrix create(int rows, int cols) {
        return new Matrix(HostBuffer.allocate(precision, rows * cols), rows, cols);
    }

    @Override
    public int rows(Matrix m) {
        return m.rows();
    }

    /** Row-major copy of a rank-2 array of any order (a view's buffer starts at the view; odd strides: dup first). */
    @Override
    public Matrix read(INDArray a) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        int len = rows * cols;
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        if (!Shape.hasDefaultStridesForShape(a) || a.data().length() != len) {
            a = a.dup('c');
        }
        // Read in the layer's precision: a float32 layer's arrays are never widened to double.
        HostBuffer buf = precision == Precision.FLOAT32 ? HostBuffer.of(a.data().asFloat()) : HostBuffer.of(a.data().asDouble());
        Matrix m = new Matrix(buf, rows, cols);
        if ((a.ordering() == 'c' || rows == 1 || cols == 1) && buf.length() == len) {
            return m;
        }
        Matrix out = create(rows, cols);
        boolean c = a.ordering() == 'c' || rows == 1 || cols == 1;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out.data().set((long) i * cols + j, buf.get(c ? (long) i * cols + j : (long) j * rows + i));
            }
        }
        return out;
    }

    @Override
    public void write(Matrix m, INDArray target) {
        int rows = (int) target.size(0);
        int cols = (int) target.size(1);
        int len = rows * cols;
        if (m.data().length() != len) {
            throw new IllegalStateException("write: " + m.data().length() + " values for an array of shape "
                    + Arrays.toString(target.shape()));
        }
        if (Shape.hasDefaultStridesForShape(target) && target.data().length() == len) {
            Nd4j.getAffinityManager().ensureLocation(target, AffinityManager.Location.HOST);
            DataBuffer buf = target.data();
            boolean c = target.ordering() == 'c' || rows == 1 || cols == 1;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    buf.put(c ? (long) i * cols + j : (long) j * rows + i, m.get(i, j));
                }
            }
            Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
        } else {
            INDArray src = precision == Precision.FLOAT32 ? Nd4j.createFromArray(m.data().floatArray())
                    : Nd4j.createFromArray(m.data().doubleArray());
            target.assign(src.reshape('c', rows, cols).castTo(target.dataType()));
        }
    }

    @Override
    public QuantumBuffer input(Matrix m) {
        return m.data();
    }

    @Override
    public QuantumBuffer output(Matrix m) {
        return m.data();
    }

    @Override
    public void sync() {
    }

    @Override
    public void written(Matrix output) {
    }

    @Override
    public String memory() {
        return "host";
    }
}
