// dgq_kernels.cu - fused CUDA kernels for batched PQC simulation, and the
// dgq_cuda_* C ABI (dgq.h) that launches them.
//
// Compiled by nvcc for the GPU, and by g++ through emu/cuda_emu.h for tests
// on the CPU (same source). Design (docs/kernels.md):
// - One launch per batch. A block holds `spb` sample slots of `tps` threads
//   (tps a multiple of 32, so a warp never spans two slots). Each slot keeps
//   its state vector in dynamic shared memory from the encoding to the
//   readout (global memory only as a documented fallback when it does not fit).
// - Encoding + layer-0 rotations form a product state, written directly.
//   Each later (layer, qubit) block of rotations is one fused 2x2 matrix.
// - Entanglers move no data: the basis is relabelled (gates.h, relabel_*),
//   so a CNOT layer costs nothing at run time.
// - Adjoint: psi and lambda on chip; per (layer, qubit) one pass both computes
//   the 2x2 overlap K and un-applies the block; K is reduced with warp shuffles
//   and a tiny shared array; weight gradients go to per-block partials that a
//   second kernel sums in a fixed order (no float atomics).
// - Parameter shift: every slot is one (sample, parameter, sign) circuit, so
//   all 2P shifted circuits of the batch run in one launch; a second kernel
//   forms the differences and the batch sums in a fixed order.
#include <dgq/dgq.h>

#ifdef __CUDACC__
#include <cuda_runtime.h>
#define DGQ_EXTERN_SHARED(type, name) extern __shared__ __align__(16) type name[]
#define DGQ_LAUNCH(kernel, grid, block, smem, stream, ...) kernel<<<grid, block, smem, stream>>>(__VA_ARGS__)
#else
#include "cuda_emu.h"
#endif

#include <dgq/gates.h>

#include <atomic>
#include <string>

namespace dgq {
namespace k {

enum Kind { FWD = 0, ADJ = 1, SHIFT = 2 };

__host__ __device__ inline size_t align16(size_t v) { return (v + 15) & ~size_t(15); }

// Reduction values per warp: 2 x 8 (double-buffered K) or n (readout).
__host__ __device__ inline int red_stride(int n) { return n > 16 ? n : 16; }

// Dynamic shared memory layout, shared by host (sizing) and device (carving).
struct Layout {
    size_t state, mats, red, gvec, gsm, xmats, masks, total;
};
__host__ __device__ inline Layout layout(int kind, int n, int L, int nrot, int spb, int tps, int tsize, bool global_state) {
    Layout o;
    const size_t nstates = kind == ADJ ? 2 : 1;
    size_t off = 0;
    o.state = off;
    off += global_state ? 0 : align16(size_t(spb) * nstates * (size_t(1) << n) * 2 * tsize);
    o.mats = off;
    off += align16(size_t(spb) * L * n * 8 * tsize);
    o.red = off;
    off += align16(size_t(spb) * (tps / 32) * red_stride(n) * tsize);
    o.gvec = off;
    off += kind == FWD ? 0 : align16(size_t(spb) * n * tsize);
    o.gsm = off;
    off += kind == ADJ ? align16(size_t(spb) * L * n * nrot * tsize) : 0;
    o.xmats = off;  // adjoint: X matrices of every gate, (k+1) per block
    off += kind == ADJ ? align16(size_t(spb) * L * n * (nrot + 1) * 8 * tsize) : 0;
    o.masks = off;
    off += align16(size_t(L + 1) * n * 2 * sizeof(unsigned));
    o.total = off;
    return o;
}

__device__ inline dgq_circuit decode(int n, int L, int enc, int ent, int nrot, int rotcodes) {
    dgq_circuit c{};
    c.n_qubits = n;
    c.n_layers = L;
    c.encoding = enc;
    c.entangler = ent;
    c.n_rot = nrot;
    for (int r = 0; r < nrot; ++r) c.rot[r] = (rotcodes >> (4 * r)) & 15;
    return c;
}

template <class T>
__device__ inline T warp_sum(T v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// Everything a slot's threads need, carved out of shared memory.
// Scalars and pointers only: the circuit (with its runtime-indexed rotation
// codes, which live in local memory) is passed separately, so a Slot stays in registers.
template <class T>
struct Slot {
    int n, N, L, k;
    int tps, spb, local, lt, warp, rs;
    cplx<T>* psi;
    cplx<T>* lam;
    Mat2<T>* mats;      // [L][n] of this slot
    T* red;             // reduction slots, rs per warp of the block
    T* gvec;            // upstream g of this slot
    unsigned* cols;     // [L+1][n] partner masks per layer
    unsigned* rows;     // [L+1][n] logical-bit masks per layer
};

template <class T>
__device__ inline Slot<T> make_slot(int kind, const dgq_circuit& c, int spb, unsigned char* smem, T* scratch) {
    Slot<T> s;
    s.n = c.n_qubits;
    s.N = 1 << s.n;
    s.L = c.n_layers;
    s.k = c.n_rot;
    s.spb = spb;
    s.tps = int(blockDim.x) / spb;
    s.local = int(threadIdx.x) / s.tps;
    s.lt = int(threadIdx.x) % s.tps;
    s.warp = int(threadIdx.x) / 32;
    s.rs = red_stride(s.n);
    const Layout o = layout(kind, s.n, s.L, s.k, spb, s.tps, int(sizeof(T)), scratch != nullptr);
    const int nstates = kind == ADJ ? 2 : 1;
    cplx<T>* base = scratch ? reinterpret_cast<cplx<T>*>(scratch) + (size_t(blockIdx.x) * spb) * nstates * s.N
                            : reinterpret_cast<cplx<T>*>(smem + o.state);
    s.psi = base + size_t(s.local) * nstates * s.N;
    s.lam = s.psi + s.N;
    s.mats = reinterpret_cast<Mat2<T>*>(smem + o.mats) + size_t(s.local) * s.L * s.n;
    s.red = reinterpret_cast<T*>(smem + o.red);
    s.gvec = reinterpret_cast<T*>(smem + o.gvec) + size_t(s.local) * s.n;
    s.cols = reinterpret_cast<unsigned*>(smem + o.masks);
    s.rows = s.cols + size_t(s.L + 1) * s.n;
    return s;
}

// Relabelling masks for every layer: one thread, n*L bit operations, done in
// shared memory (a local array would live in slow local memory).
template <class T>
__device__ inline void build_masks(const dgq_circuit& c, const Slot<T>& s) {
    if (threadIdx.x != 0) return;
    for (int q = 0; q < s.n; ++q) s.cols[q] = s.rows[q] = 1u << q;
    for (int l = 0; l < s.L; ++l) {
        unsigned* col = s.cols + (l + 1) * s.n;
        unsigned* row = s.rows + (l + 1) * s.n;
        for (int q = 0; q < s.n; ++q) {
            col[q] = s.cols[l * s.n + q];
            row[q] = s.rows[l * s.n + q];
        }
        relabel_layer(c, col, row);
    }
}

// Fused matrices of this slot; x is the slot's input row.
template <class T>
__device__ inline void build_mats(const dgq_circuit& c, const Slot<T>& s, const T* x, const T* w, int shift_p,
                                  T shift_d) {
    const BlockDesc d0 = block_desc(c, 0), d1 = block_desc(c, 1);
    T ang[DGQ_MAX_ROT + 1];
    for (int i = s.lt; i < s.L * s.n; i += s.tps) {
        const int l = i / s.n, q = i % s.n;
        block_angles<T>(c, l, q, x, w, shift_p, shift_d, ang);
        s.mats[i] = block_matrix(l == 0 ? d0 : d1, ang);
    }
}

// Encoding + layer-0 rotations: a product state of U0_q|0> (basis not yet relabelled).
template <class T>
__device__ inline void product_state(const Slot<T>& s) {
    for (int i = s.lt; i < s.N; i += s.tps) {
        cplx<T> a{T(1), T(0)};
        for (int q = 0; q < s.n; ++q) {
            const Mat2<T>& u = s.mats[q];
            a = cmul(a, ((i >> q) & 1) ? u.m10 : u.m00);
        }
        s.psi[i] = a;
    }
}

// One fused block on logical qubit q under relabelling (col, row).
template <class T>
__device__ inline void apply_block(const Slot<T>& s, cplx<T>* v, const Mat2<T>& u, unsigned col, unsigned row) {
    const int piv = lowest_bit(col);
    for (int p = s.lt; p < s.N / 2; p += s.tps) {
        unsigned i0 = insert_zero(unsigned(p), piv), i1 = i0 ^ col;
        if (parity(row & i0)) {
            const unsigned t = i0;
            i0 = i1;
            i1 = t;
        }
        apply2(u, v[i0], v[i1]);
    }
}

// Layers 1..L-1 (layer 0 is the product state). Ends with a barrier.
template <class T>
__device__ inline void forward_layers(const Slot<T>& s) {
    for (int l = 1; l < s.L; ++l)
        for (int q = 0; q < s.n; ++q) {
            apply_block(s, s.psi, s.mats[l * s.n + q], s.cols[l * s.n + q], s.rows[l * s.n + q]);
            __syncthreads();
        }
}

// z_q of this slot; thread lt == 0 of the slot calls emit(q, z_q).
template <class T, class Emit>
__device__ inline void readout(const Slot<T>& s, Emit&& emit) {
    const unsigned* rowsL = s.rows + s.L * s.n;
    for (int q = 0; q < s.n; ++q) {
        T acc = 0;
        for (int i = s.lt; i < s.N; i += s.tps) {
            const cplx<T> a = s.psi[i];
            const T pr = a.re * a.re + a.im * a.im;
            acc += parity(rowsL[q] & unsigned(i)) ? -pr : pr;
        }
        acc = warp_sum(acc);
        if ((threadIdx.x & 31) == 0) s.red[s.warp * s.rs + q] = acc;
    }
    __syncthreads();
    if (s.lt == 0) {
        const int w0 = s.local * (s.tps / 32), nw = s.tps / 32;
        for (int q = 0; q < s.n; ++q) {
            T z = 0;
            for (int w = 0; w < nw; ++w) z += s.red[(w0 + w) * s.rs + q];
            emit(q, z);
        }
    }
}

template <class T>
__device__ void forward_kernel(int n, int L, int enc, int ent, int nrot, int rotcodes, int B, int spb, const T* x,
                               const T* w, T* z, T* scratch) {
    DGQ_EXTERN_SHARED(unsigned char, dgq_smem);
    const dgq_circuit c = decode(n, L, enc, ent, nrot, rotcodes);
    const Slot<T> s = make_slot<T>(FWD, c, spb, dgq_smem, scratch);
    const int sample = int(blockIdx.x) * spb + s.local;
    const bool valid = sample < B;
    const int ld = valid ? sample : B - 1;  // padding slots compute a real sample and write nothing
    build_masks(c, s);
    build_mats<T>(c, s, x + size_t(ld) * n, w, -1, T(0));
    __syncthreads();
    product_state(s);
    __syncthreads();
    forward_layers(s);
    readout(s, [&](int q, T zq) {
        if (valid) z[size_t(sample) * n + q] = zq;
    });
}

template <class T>
__device__ void adjoint_kernel(int n, int L, int enc, int ent, int nrot, int rotcodes, int B, int spb, const T* x,
                               const T* w, const T* g, T* dx, T* wpart, T* scratch) {
    DGQ_EXTERN_SHARED(unsigned char, dgq_smem);
    const dgq_circuit c = decode(n, L, enc, ent, nrot, rotcodes);
    const Slot<T> s = make_slot<T>(ADJ, c, spb, dgq_smem, scratch);
    const Layout o = layout(ADJ, n, L, nrot, spb, s.tps, int(sizeof(T)), scratch != nullptr);
    T* gsm = reinterpret_cast<T*>(dgq_smem + o.gsm);
    Mat2<T>* xmats = reinterpret_cast<Mat2<T>*>(dgq_smem + o.xmats) + size_t(s.local) * L * n * (nrot + 1);
    const int Pw = L * n * nrot;
    const int sample = int(blockIdx.x) * spb + s.local;
    const bool valid = sample < B;
    const int ld = valid ? sample : B - 1;
    const T* xs = x + size_t(ld) * n;
    build_masks(c, s);
    build_mats<T>(c, s, xs, w, -1, T(0));
    for (int q = s.lt; q < n; q += s.tps) s.gvec[q] = g[size_t(ld) * n + q];
    {
        // X matrices of every gate, so that the per-step gradient work of
        // one thread is a few multiply-adds instead of sincos and matrix products
        const BlockDesc d0 = block_desc(c, 0), d1 = block_desc(c, 1);
        T ang[DGQ_MAX_ROT + 1];
        for (int i = s.lt; i < L * n; i += s.tps) {
            const int l = i / n, q = i % n;
            block_angles<T>(c, l, q, xs, w, -1, T(0), ang);
            block_xmats(l == 0 ? d0 : d1, ang, xmats + size_t(i) * (nrot + 1));
        }
    }
    __syncthreads();
    product_state(s);
    __syncthreads();
    forward_layers(s);
    // lambda = (sum_q g_q Z_q) psi in the final relabelled basis
    const unsigned* rowsL = s.rows + L * n;
    for (int i = s.lt; i < s.N; i += s.tps) {
        T o_ii = 0;
        for (int q = 0; q < n; ++q) o_ii += parity(rowsL[q] & unsigned(i)) ? -s.gvec[q] : s.gvec[q];
        const cplx<T> a = s.psi[i];
        s.lam[i] = {o_ii * a.re, o_ii * a.im};
    }
    __syncthreads();
    int step = 0;
    for (int l = L - 1; l >= 0; --l) {
        for (int q = n - 1; q >= 0; --q, ++step) {
            const unsigned col = s.cols[l * n + q], row = s.rows[l * n + q];
            const int piv = lowest_bit(col);
            const Mat2<T> ud = dagger(s.mats[l * n + q]);
            T kv[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // K00, K01, K10, K11 (re, im)
            for (int p = s.lt; p < s.N / 2; p += s.tps) {
                unsigned i0 = insert_zero(unsigned(p), piv), i1 = i0 ^ col;
                if (parity(row & i0)) {
                    const unsigned t = i0;
                    i0 = i1;
                    i1 = t;
                }
                cplx<T> pa = s.psi[i0], pb = s.psi[i1], la = s.lam[i0], lb = s.lam[i1];
                const cplx<T> k00 = cconjmul(la, pa), k01 = cconjmul(la, pb), k10 = cconjmul(lb, pa),
                              k11 = cconjmul(lb, pb);
                kv[0] += k00.re; kv[1] += k00.im; kv[2] += k01.re; kv[3] += k01.im;
                kv[4] += k10.re; kv[5] += k10.im; kv[6] += k11.re; kv[7] += k11.im;
                if (l > 0) {  // layer 0 is not needed after its gradient
                    apply2(ud, pa, pb);
                    apply2(ud, la, lb);
                    s.psi[i0] = pa;
                    s.psi[i1] = pb;
                    s.lam[i0] = la;
                    s.lam[i1] = lb;
                }
            }
            // double-buffered per-warp slots: thread lt==0 reads step's slots
            // while the others already fill the next step's
            T* slots = s.red + s.warp * s.rs + (step & 1) * 8;
            for (int v = 0; v < 8; ++v) {
                const T r = warp_sum(kv[v]);
                if ((threadIdx.x & 31) == 0) slots[v] = r;
            }
            __syncthreads();
            if (s.lt == 0) {
                const int w0 = s.local * (s.tps / 32), nw = s.tps / 32;
                T kk[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                for (int wi = 0; wi < nw; ++wi)
                    for (int v = 0; v < 8; ++v) kk[v] += s.red[(w0 + wi) * s.rs + (step & 1) * 8 + v];
                const Mat2<T> K{{kk[0], kk[1]}, {kk[2], kk[3]}, {kk[4], kk[5]}, {kk[6], kk[7]}};
                const Mat2<T>* xm = xmats + size_t(l * n + q) * (nrot + 1);
                int g0 = 0;
                if (l == 0) {
                    if (valid) dx[size_t(sample) * n + q] = grad_from_x(xm[0], K);
                    g0 = 1;
                }
                for (int r = 0; r < nrot; ++r)
                    gsm[size_t(s.local) * Pw + (l * n + q) * nrot + r] = grad_from_x(xm[g0 + r], K);
            }
        }
    }
    __syncthreads();
    // per-block partial of the weight gradient, slots summed in a fixed order
    for (int p = int(threadIdx.x); p < Pw; p += int(blockDim.x)) {
        T acc = 0;
        for (int sl = 0; sl < spb; ++sl)
            if (int(blockIdx.x) * spb + sl < B) acc += gsm[size_t(sl) * Pw + p];
        wpart[size_t(blockIdx.x) * Pw + p] = acc;
    }
}

// One slot = one shifted circuit: slot -> (sample, parameter, sign).
template <class T>
__device__ void shift_kernel(int n, int L, int enc, int ent, int nrot, int rotcodes, int B, int spb, const T* x,
                             const T* w, const T* g, T* fbuf, T* scratch) {
    DGQ_EXTERN_SHARED(unsigned char, dgq_smem);
    const dgq_circuit c = decode(n, L, enc, ent, nrot, rotcodes);
    const Slot<T> s = make_slot<T>(SHIFT, c, spb, dgq_smem, scratch);
    const int P2 = 2 * num_params(c);
    const long slot = long(blockIdx.x) * spb + s.local;
    const bool valid = slot < long(B) * P2;
    const long sl = valid ? slot : long(B) * P2 - 1;
    const int sample = int(sl / P2), j = int(sl % P2);
    const T half_pi = T(1.57079632679489661923);
    build_masks(c, s);
    build_mats<T>(c, s, x + size_t(sample) * n, w, j / 2, (j & 1) ? -half_pi : half_pi);
    for (int q = s.lt; q < n; q += s.tps) s.gvec[q] = g[size_t(sample) * n + q];
    __syncthreads();
    product_state(s);
    __syncthreads();
    forward_layers(s);
    T f = 0;
    readout(s, [&](int q, T zq) { f += s.gvec[q] * zq; });
    if (s.lt == 0 && valid) fbuf[slot] = f;
}

// dw[p] = sum over blocks of wpart[b][p], in block order.
template <class T>
__device__ void wsum_kernel(int Pw, int nparts, const T* wpart, T* dw) {
    const int p = int(blockIdx.x * blockDim.x + threadIdx.x);
    if (p >= Pw) return;
    double acc = 0;
    for (int b = 0; b < nparts; ++b) acc += double(wpart[size_t(b) * Pw + p]);
    dw[p] = T(acc);
}

// Parameter-shift differences: threads [0, B*n) write dx, the next Pw threads dw.
template <class T>
__device__ void shift_finish_kernel(int n, int Pw, int B, const T* fbuf, T* dx, T* dw) {
    const long t = long(blockIdx.x) * blockDim.x + threadIdx.x;
    const int P2 = 2 * (n + Pw);
    if (t < long(B) * n) {
        const long s = t / n, q = t % n;
        dx[t] = (fbuf[s * P2 + 2 * q] - fbuf[s * P2 + 2 * q + 1]) / T(2);
    } else if (t < long(B) * n + Pw) {
        const int p = int(t - long(B) * n) + n;
        double acc = 0;
        for (long s = 0; s < B; ++s) acc += double(fbuf[s * P2 + 2 * p] - fbuf[s * P2 + 2 * p + 1]) / 2.0;
        dw[p - n] = T(acc);
    }
}

// Elementwise steps of the quantum layer (formula in gates.h). Grid-stride
// with 64-bit indices: any count runs in one launch of a bounded grid.
template <class T>
__device__ void pi_tanh_kernel(int64_t count, const T* pre, T* theta) {
    const int64_t stride = int64_t(blockDim.x) * gridDim.x;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride)
        theta[i] = pi_tanh(pre[i]);
}
template <class T>
__device__ void pi_tanh_backward_kernel(int64_t count, const T* theta, const T* dtheta, T* da) {
    const int64_t stride = int64_t(blockDim.x) * gridDim.x;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride)
        da[i] = pi_tanh_backward(theta[i], dtheta[i]);
}

}  // namespace k
}  // namespace dgq

// ---- raw kernels with C names (for driver-API bindings; see docs/kernels.md) ----
#define DGQ_KERNELS(T, SUF)                                                                                       \
    extern "C" __global__ void dgq_forward_##SUF(int n, int L, int enc, int ent, int nrot, int rotcodes, int B,    \
                                                 int spb, const T* x, const T* w, T* z, T* scratch) {              \
        dgq::k::forward_kernel<T>(n, L, enc, ent, nrot, rotcodes, B, spb, x, w, z, scratch);                       \
    }                                                                                                              \
    extern "C" __global__ void dgq_adjoint_##SUF(int n, int L, int enc, int ent, int nrot, int rotcodes, int B,    \
                                                 int spb, const T* x, const T* w, const T* g, T* dx, T* wpart,     \
                                                 T* scratch) {                                                     \
        dgq::k::adjoint_kernel<T>(n, L, enc, ent, nrot, rotcodes, B, spb, x, w, g, dx, wpart, scratch);            \
    }                                                                                                              \
    extern "C" __global__ void dgq_shift_##SUF(int n, int L, int enc, int ent, int nrot, int rotcodes, int B,      \
                                               int spb, const T* x, const T* w, const T* g, T* fbuf, T* scratch) { \
        dgq::k::shift_kernel<T>(n, L, enc, ent, nrot, rotcodes, B, spb, x, w, g, fbuf, scratch);                   \
    }                                                                                                              \
    extern "C" __global__ void dgq_wsum_##SUF(int Pw, int nparts, const T* wpart, T* dw) {                        \
        dgq::k::wsum_kernel<T>(Pw, nparts, wpart, dw);                                                             \
    }                                                                                                              \
    extern "C" __global__ void dgq_shift_finish_##SUF(int n, int Pw, int B, const T* fbuf, T* dx, T* dw) {        \
        dgq::k::shift_finish_kernel<T>(n, Pw, B, fbuf, dx, dw);                                                    \
    }                                                                                                              \
    extern "C" __global__ void dgq_pi_tanh_##SUF(int64_t count, const T* pre, T* theta) {                         \
        dgq::k::pi_tanh_kernel<T>(count, pre, theta);                                                              \
    }                                                                                                              \
    extern "C" __global__ void dgq_pi_tanh_backward_##SUF(int64_t count, const T* theta, const T* dtheta, T* da) { \
        dgq::k::pi_tanh_backward_kernel<T>(count, theta, dtheta, da);                                              \
    }

DGQ_KERNELS(float, f32)
DGQ_KERNELS(double, f64)

// ---- host side: the dgq_cuda_* C ABI ----
namespace {

thread_local std::string g_error;
std::atomic<int> g_tps{0}, g_spb{0}, g_force_global{0};

int fail(int code, const std::string& m) {
    g_error = m;
    return code;
}
int cuda_fail(cudaError_t e, const char* what) {
    return fail(DGQ_ERR_CUDA, std::string(what) + ": " + cudaGetErrorString(e));
}

struct Shape {
    int tps, spb;
    bool global_state;
    size_t smem;
};

// Picks the block shape and where the state lives; fails if even the
// global-memory variant does not fit.
int choose_shape(int kind, const dgq_circuit& c, int tsize, Shape& sh) {
    const int n = c.n_qubits;
    int tps = g_tps.load(), spb = g_spb.load();
    if (tps == 0) tps = n <= 8 ? 32 : (n <= 10 ? 64 : 128);
    if (spb == 0) spb = n <= 8 ? 4 : (n <= 10 ? 2 : 1);
    int dev = 0, optin = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e == cudaSuccess) e = cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev);
    if (e != cudaSuccess) return cuda_fail(e, "querying the device");
    bool global_state = g_force_global.load() != 0;
    auto bytes = [&](int sp, bool gl) {
        return dgq::k::layout(kind, n, c.n_layers, c.n_rot, sp, tps, tsize, gl).total;
    };
    // fewer samples per block first (automatic shape only), then the global-memory state
    while (!global_state && bytes(spb, false) > size_t(optin) && spb > 1 && g_spb.load() == 0) spb /= 2;
    if (!global_state && bytes(spb, false) > size_t(optin)) global_state = true;
    if (bytes(spb, global_state) > size_t(optin))
        return fail(DGQ_ERR_UNSUPPORTED, "circuit needs " + std::to_string(bytes(spb, global_state)) +
                                             " bytes of shared memory, the device allows " + std::to_string(optin));
    sh = {tps, spb, global_state, bytes(spb, global_state)};
    return DGQ_OK;
}

template <class K>
int prepare_kernel(K* kernel, size_t smem) {
    if (smem > 48 * 1024) {  // above 48 KiB the kernel must opt in
        const cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem));
        if (e != cudaSuccess) return cuda_fail(e, "cudaFuncSetAttribute(MaxDynamicSharedMemorySize)");
    }
    return DGQ_OK;
}

int check_circuit(const dgq_circuit* c, int batch) {
    if (const char* m = dgq::validate_circuit(c, DGQ_CUDA_MAX_QUBITS))
        return fail(c && c->n_qubits > DGQ_CUDA_MAX_QUBITS ? DGQ_ERR_UNSUPPORTED : DGQ_ERR_INVALID,
                    std::string("invalid circuit: ") + m);
    if (batch < 0) return fail(DGQ_ERR_INVALID, "batch must be >= 0");
    return DGQ_OK;
}

int rot_codes(const dgq_circuit& c) {
    int r = 0;
    for (int i = 0; i < c.n_rot; ++i) r |= c.rot[i] << (4 * i);
    return r;
}

// Device buffer freed on scope exit.
struct DevBuf {
    void* p = nullptr;
    ~DevBuf() {
        if (p) cudaFree(p);
    }
    int alloc(size_t bytes) {
        const cudaError_t e = cudaMalloc(&p, bytes);
        if (e != cudaSuccess) {
            p = nullptr;
            return fail(DGQ_ERR_NOMEM, std::string("cudaMalloc of ") + std::to_string(bytes) +
                                           " bytes: " + cudaGetErrorString(e));
        }
        return DGQ_OK;
    }
};

// Launch errors (bad configuration, missing attribute) show up here.
int launched(const char* what) {
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? DGQ_OK : cuda_fail(e, what);
}

int finish(cudaStream_t st, const char* what) {
    if (int rc = launched(what)) return rc;
    const cudaError_t e = cudaStreamSynchronize(st);
    if (e != cudaSuccess) return cuda_fail(e, what);
    return DGQ_OK;
}

template <class T>
struct Kernels;
template <>
struct Kernels<float> {
    static constexpr auto fwd = dgq_forward_f32;
    static constexpr auto adj = dgq_adjoint_f32;
    static constexpr auto shift = dgq_shift_f32;
    static constexpr auto wsum = dgq_wsum_f32;
    static constexpr auto shift_finish = dgq_shift_finish_f32;
    static constexpr auto pi_tanh = dgq_pi_tanh_f32;
    static constexpr auto pi_tanh_backward = dgq_pi_tanh_backward_f32;
};
template <>
struct Kernels<double> {
    static constexpr auto fwd = dgq_forward_f64;
    static constexpr auto adj = dgq_adjoint_f64;
    static constexpr auto shift = dgq_shift_f64;
    static constexpr auto wsum = dgq_wsum_f64;
    static constexpr auto shift_finish = dgq_shift_finish_f64;
    static constexpr auto pi_tanh = dgq_pi_tanh_f64;
    static constexpr auto pi_tanh_backward = dgq_pi_tanh_backward_f64;
};

template <class T>
int forward_host(const dgq_circuit* c, int B, const T* x, const T* w, T* z, void* stream) {
    if (int rc = check_circuit(c, B)) return rc;
    if (B == 0) return DGQ_OK;
    if (!x || !w || !z) return fail(DGQ_ERR_INVALID, "null device pointer");
    Shape sh;
    if (int rc = choose_shape(dgq::k::FWD, *c, sizeof(T), sh)) return rc;
    const int n = c->n_qubits, grid = (B + sh.spb - 1) / sh.spb;
    DevBuf scratch;
    if (sh.global_state)
        if (int rc = scratch.alloc(size_t(grid) * sh.spb * (size_t(1) << n) * 2 * sizeof(T))) return rc;
    if (int rc = prepare_kernel(Kernels<T>::fwd, sh.smem)) return rc;
    cudaStream_t st = static_cast<cudaStream_t>(stream);
    DGQ_LAUNCH(Kernels<T>::fwd, dim3(grid), dim3(sh.tps * sh.spb), sh.smem, st, n, c->n_layers, c->encoding,
               c->entangler, c->n_rot, rot_codes(*c), B, sh.spb, x, w, z, static_cast<T*>(scratch.p));
    return finish(st, "forward kernel");
}

template <class T>
int backward_host(const dgq_circuit* c, int B, const T* x, const T* w, const T* g, T* dx, T* dw, int method,
                  void* stream) {
    if (int rc = check_circuit(c, B)) return rc;
    if (method != DGQ_ADJOINT && method != DGQ_PARAMETER_SHIFT)
        return fail(DGQ_ERR_INVALID, "method must be DGQ_ADJOINT or DGQ_PARAMETER_SHIFT");
    if (!w || !dw || (B > 0 && (!x || !g || !dx))) return fail(DGQ_ERR_INVALID, "null device pointer");
    const int n = c->n_qubits, L = c->n_layers, Pw = L * n * c->n_rot;
    cudaStream_t st = static_cast<cudaStream_t>(stream);
    if (B == 0) {
        const cudaError_t e = cudaMemset(dw, 0, sizeof(T) * Pw);
        return e == cudaSuccess ? DGQ_OK : cuda_fail(e, "cudaMemset");
    }
    const int kind = method == DGQ_ADJOINT ? dgq::k::ADJ : dgq::k::SHIFT;
    Shape sh;
    if (int rc = choose_shape(kind, *c, sizeof(T), sh)) return rc;
    const long slots = method == DGQ_ADJOINT ? long(B) : long(B) * 2 * (n + Pw);
    const long grid = (slots + sh.spb - 1) / sh.spb;
    if (grid > 0x7fffffffL) return fail(DGQ_ERR_UNSUPPORTED, "batch too large for one launch");
    DevBuf scratch, work;
    const int nstates = method == DGQ_ADJOINT ? 2 : 1;
    if (sh.global_state)
        if (int rc = scratch.alloc(size_t(grid) * sh.spb * nstates * (size_t(1) << n) * 2 * sizeof(T))) return rc;
    const int rc_enc = c->encoding, codes = rot_codes(*c);
    if (method == DGQ_ADJOINT) {
        if (int rc = work.alloc(size_t(grid) * Pw * sizeof(T))) return rc;
        if (int rc = prepare_kernel(Kernels<T>::adj, sh.smem)) return rc;
        T* wpart = static_cast<T*>(work.p);
        DGQ_LAUNCH(Kernels<T>::adj, dim3(unsigned(grid)), dim3(sh.tps * sh.spb), sh.smem, st, n, L, rc_enc,
                   c->entangler, c->n_rot, codes, B, sh.spb, x, w, g, dx, wpart, static_cast<T*>(scratch.p));
        if (int rc = finish(st, "adjoint kernel")) return rc;
        DGQ_LAUNCH(Kernels<T>::wsum, dim3((Pw + 127) / 128), dim3(128), 0, st, Pw, int(grid),
                   static_cast<const T*>(wpart), dw);
        return finish(st, "weight-gradient sum kernel");
    }
    if (int rc = work.alloc(size_t(slots) * sizeof(T))) return rc;
    if (int rc = prepare_kernel(Kernels<T>::shift, sh.smem)) return rc;
    T* fbuf = static_cast<T*>(work.p);
    DGQ_LAUNCH(Kernels<T>::shift, dim3(unsigned(grid)), dim3(sh.tps * sh.spb), sh.smem, st, n, L, rc_enc,
               c->entangler, c->n_rot, codes, B, sh.spb, x, w, g, fbuf, static_cast<T*>(scratch.p));
    if (int rc = finish(st, "parameter-shift kernel")) return rc;
    const long nt = long(B) * n + Pw;
    DGQ_LAUNCH(Kernels<T>::shift_finish, dim3(unsigned((nt + 127) / 128)), dim3(128), 0, st, n, Pw, B,
               static_cast<const T*>(fbuf), dx, dw);
    return finish(st, "parameter-shift finish kernel");
}

// Grid of the elementwise kernels: enough 256-thread blocks for count, at
// most 8 per SM (2048 threads, a full SM); bigger arrays loop in the kernel.
constexpr int kEltThreads = 256;
int elementwise_grid(int64_t count, unsigned& grid) {
    int dev = 0, sms = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e == cudaSuccess) e = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
    if (e != cudaSuccess) return cuda_fail(e, "querying the device");
    const int64_t need = count / kEltThreads + (count % kEltThreads != 0), cap = int64_t(sms > 0 ? sms : 1) * 8;
    grid = unsigned(need < cap ? need : cap);
    return DGQ_OK;
}

int check_elementwise(int64_t count, bool pointers_ok) {
    if (count < 0) return fail(DGQ_ERR_INVALID, "count must be >= 0, got " + std::to_string(count));
    if (count > 0 && !pointers_ok) return fail(DGQ_ERR_INVALID, "null device pointer");
    return DGQ_OK;
}

// Asynchronous: launch on the stream, no synchronisation (dgq.h).
template <class T>
int pi_tanh_host(int64_t count, const T* pre, T* theta, void* stream) {
    if (int rc = check_elementwise(count, pre && theta)) return rc;
    if (count == 0) return DGQ_OK;
    unsigned grid = 0;
    if (int rc = elementwise_grid(count, grid)) return rc;
    DGQ_LAUNCH(Kernels<T>::pi_tanh, dim3(grid), dim3(kEltThreads), 0, static_cast<cudaStream_t>(stream), count,
               pre, theta);
    return launched("pi_tanh kernel");
}

template <class T>
int pi_tanh_backward_host(int64_t count, const T* theta, const T* dtheta, T* da, void* stream) {
    if (int rc = check_elementwise(count, theta && dtheta && da)) return rc;
    if (count == 0) return DGQ_OK;
    unsigned grid = 0;
    if (int rc = elementwise_grid(count, grid)) return rc;
    DGQ_LAUNCH(Kernels<T>::pi_tanh_backward, dim3(grid), dim3(kEltThreads), 0, static_cast<cudaStream_t>(stream),
               count, theta, dtheta, da);
    return launched("pi_tanh backward kernel");
}

}  // namespace

extern "C" {

const char* dgq_cuda_last_error(void) { return g_error.c_str(); }
int dgq_cuda_abi_version(void) { return DGQ_ABI_VERSION; }

int dgq_cuda_set_block_shape(int tps, int spb) {
    if (!(tps == 0 && spb == 0)) {
        if (tps != 32 && tps != 64 && tps != 128 && tps != 256)
            return fail(DGQ_ERR_INVALID, "threads_per_sample must be 32, 64, 128 or 256");
        if (spb < 1 || tps * spb > 1024) return fail(DGQ_ERR_INVALID, "samples_per_block must be >= 1 and tps*spb <= 1024");
    }
    g_tps = tps;
    g_spb = spb;
    return DGQ_OK;
}
int dgq_cuda_force_global_state(int on) {
    g_force_global = on != 0;
    return DGQ_OK;
}

int dgq_cuda_forward_f32(const dgq_circuit* c, int B, const float* x, const float* w, float* z, void* s) {
    return forward_host<float>(c, B, x, w, z, s);
}
int dgq_cuda_forward_f64(const dgq_circuit* c, int B, const double* x, const double* w, double* z, void* s) {
    return forward_host<double>(c, B, x, w, z, s);
}
int dgq_cuda_backward_f32(const dgq_circuit* c, int B, const float* x, const float* w, const float* g, float* dx,
                          float* dw, int method, void* s) {
    return backward_host<float>(c, B, x, w, g, dx, dw, method, s);
}
int dgq_cuda_backward_f64(const dgq_circuit* c, int B, const double* x, const double* w, const double* g,
                          double* dx, double* dw, int method, void* s) {
    return backward_host<double>(c, B, x, w, g, dx, dw, method, s);
}

int dgq_cuda_pi_tanh_f32(int64_t count, const float* pre, float* theta, void* s) {
    return pi_tanh_host<float>(count, pre, theta, s);
}
int dgq_cuda_pi_tanh_f64(int64_t count, const double* pre, double* theta, void* s) {
    return pi_tanh_host<double>(count, pre, theta, s);
}
int dgq_cuda_pi_tanh_backward_f32(int64_t count, const float* theta, const float* dtheta, float* da, void* s) {
    return pi_tanh_backward_host<float>(count, theta, dtheta, da, s);
}
int dgq_cuda_pi_tanh_backward_f64(int64_t count, const double* theta, const double* dtheta, double* da, void* s) {
    return pi_tanh_backward_host<double>(count, theta, dtheta, da, s);
}

}  // extern "C"
