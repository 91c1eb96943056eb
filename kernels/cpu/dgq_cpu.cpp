// libdgq_cpu.so: native CPU implementation of the dgq.h C ABI.
// Up to kMaxLaneQubits (18) qubits the "lanes" code further down serves
// forward, adjoint and parameter shift (docs/kernels.md, "CPU library").
// Above that, per sample: encoding + first-layer rotations form a product
// state that is built directly; every later (layer, qubit) block of rotations
// is one fused 2x2; an entangler layer is one index permutation (a gather).
// The state is kept as separate real/imaginary arrays so that the pair loops
// vectorise. OpenMP runs over fixed chunks of the batch; the weight gradient
// is summed chunk by chunk in a fixed order, so results do not depend on the
// thread count.
//
// This file is compiled three times (baseline x86-64, AVX2+FMA, AVX-512, see
// CMakeLists.txt); dgq_cpu_api.cpp holds the C ABI and picks one at run time.
#include <dgq/dgq.h>
#include <dgq/gates.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif
#include <sys/mman.h>

#include "dgq_cpu_detail.h"

#ifndef DGQ_ISA_NS
#define DGQ_ISA_NS isa_base
#endif

namespace {

using dgq_cpu_detail::fail;

// Samples per work item. It depends on the problem only, never on the thread
// count, so the reduction order (and every bit of the result) is fixed.
// Heavy samples (large n, parameter shift) get one item each for balance.
inline int chunk_size(int n, bool heavy) { return heavy || n >= 10 ? 1 : 16; }

template <class T>
struct Plan {
    dgq_circuit c;
    int n, N, L, k;
    bool ent;                              // entangler present
    std::vector<unsigned> gat_fwd;         // after a layer: new[i] = old[gat_fwd[i]]
    std::vector<unsigned> gat_bwd;         // undo a layer:  old[j] = new[gat_bwd[j]]
    std::vector<dgq::Mat2<T>> mats;        // fused blocks [L][n]; layer 0: rotations only
    std::vector<dgq::Mat2<T>> xmats;       // X of every gate [L][n][k+1] (block_xmats)
    dgq::BlockDesc desc0, desc;            // gate lists of layer 0 and of layers >= 1

    Plan(const dgq_circuit& cc, const T* w) : c(cc) {
        n = c.n_qubits;
        N = 1 << n;
        L = c.n_layers;
        k = c.n_rot;
        ent = dgq::num_cnots(c.entangler, n) > 0;
        if (ent) {
            gat_fwd.resize(N);
            gat_bwd.resize(N);
            for (int i = 0; i < N; ++i) {
                gat_fwd[i] = dgq::ent_inverse(c, unsigned(i));
                gat_bwd[i] = dgq::ent_forward(c, unsigned(i));
            }
        }
        desc0 = dgq::block_desc(c, 0);
        desc = dgq::block_desc(c, 1);
        mats.resize(size_t(L) * n);
        xmats.resize(size_t(L) * n * (k + 1));
        // Everything here depends on the weights only: layer 0's rotations
        // (the per-sample encoding gate comes first and is multiplied in per
        // sample), and all X matrices, since X of a gate involves only the
        // gates after it in its block (the encoding angle is irrelevant: 0).
        T ang[DGQ_MAX_ROT + 1];
        const std::vector<T> zeros(size_t(n), T(0));
        for (int l = 0; l < L; ++l)
            for (int q = 0; q < n; ++q) {
                dgq::block_angles<T>(c, l, q, zeros.data(), w, -1, T(0), ang);
                const T* rot_ang = l == 0 ? ang + 1 : ang;
                mats[size_t(l) * n + q] = dgq::block_matrix(desc, rot_ang);
                dgq::block_xmats(l == 0 ? desc0 : desc, ang, &xmats[(size_t(l) * n + q) * (k + 1)]);
            }
    }
};

// Per-thread work buffers: psi, lambda and one temporary, each re+im.
template <class T>
struct Work {
    std::vector<T> mem;
    T *pr, *pi, *lr, *li, *tr, *ti, *obs;
    explicit Work(int N) : mem(size_t(N) * 7) {
        T* m = mem.data();
        pr = m; pi = m + N; lr = m + 2 * N; li = m + 3 * N; tr = m + 4 * N; ti = m + 5 * N; obs = m + 6 * N;
    }
};

// (lo, hi) <- U (lo, hi) for one amplitude pair (SoA).
template <class T>
inline void pair_update(T& xr, T& xi, T& yr, T& yi, const dgq::Mat2<T>& u) {
    const T ar = xr, ai = xi, br = yr, bi = yi;
    xr = u.m00.re * ar - u.m00.im * ai + u.m01.re * br - u.m01.im * bi;
    xi = u.m00.re * ai + u.m00.im * ar + u.m01.re * bi + u.m01.im * br;
    yr = u.m10.re * ar - u.m10.im * ai + u.m11.re * br - u.m11.im * bi;
    yi = u.m10.re * ai + u.m10.im * ar + u.m11.re * bi + u.m11.im * br;
}

// Qubits with a stride of at least kWide amplitudes use contiguous inner
// loops (they vectorise); smaller strides use one flat loop over pairs, which
// avoids a loop start per handful of amplitudes.
constexpr int kWide = 8;

template <class T>
inline void apply_gate(T* __restrict re, T* __restrict im, int N, int q, const dgq::Mat2<T>& u) {
    const int h = 1 << q;
    if (h < kWide) {
        for (int k = 0; k < N / 2; ++k) {
            const int a = int(dgq::insert_zero(unsigned(k), q)), b = a + h;
            pair_update(re[a], im[a], re[b], im[b], u);
        }
        return;
    }
    const T a0r = u.m00.re, a0i = u.m00.im, a1r = u.m01.re, a1i = u.m01.im;
    const T b0r = u.m10.re, b0i = u.m10.im, b1r = u.m11.re, b1i = u.m11.im;
    for (int base = 0; base < N; base += 2 * h) {
        T* __restrict r0 = re + base;
        T* __restrict i0 = im + base;
        T* __restrict r1 = re + base + h;
        T* __restrict i1 = im + base + h;
#pragma omp simd
        for (int j = 0; j < h; ++j) {
            const T xr = r0[j], xi = i0[j], yr = r1[j], yi = i1[j];
            r0[j] = a0r * xr - a0i * xi + a1r * yr - a1i * yi;
            i0[j] = a0r * xi + a0i * xr + a1r * yi + a1i * yr;
            r1[j] = b0r * xr - b0i * xi + b1r * yr - b1i * yi;
            i1[j] = b0r * xi + b0i * xr + b1r * yi + b1i * yr;
        }
    }
}

// Blocks on qubits 0, 1, 2 applied in one pass over runs of 8 amplitudes
// kept in registers (these strides are too short for vector loops).
template <class T>
inline void apply_low3(T* __restrict re, T* __restrict im, int N, const dgq::Mat2<T>* u) {
    for (int base = 0; base < N; base += 8) {
        T r[8], i[8];
        for (int j = 0; j < 8; ++j) {
            r[j] = re[base + j];
            i[j] = im[base + j];
        }
        for (int q = 0; q < 3; ++q) {
            const int h = 1 << q;
            for (int k = 0; k < 4; ++k) {
                const int a = int(dgq::insert_zero(unsigned(k), q));
                pair_update(r[a], i[a], r[a + h], i[a + h], u[q]);
            }
        }
        for (int j = 0; j < 8; ++j) {
            re[base + j] = r[j];
            im[base + j] = i[j];
        }
    }
}

// One pass of the adjoint sweep for qubit q: accumulates the overlap
// K_ab = sum conj(lambda_a) phi_b (k[8] = re/im of K00, K01, K10, K11) and,
// if Unapply, applies ud = U^dagger to both states in the same pass.
template <bool Unapply, class T>
inline void overlap_pass(T* __restrict pr, T* __restrict pi, T* __restrict lr, T* __restrict li, int N, int q,
                         const dgq::Mat2<T>& ud, T* kout) {
    const int h = 1 << q;
    T k00r = 0, k00i = 0, k01r = 0, k01i = 0, k10r = 0, k10i = 0, k11r = 0, k11i = 0;
    auto body = [&](int a, int b) {
        const T par = pr[a], pai = pi[a], pbr = pr[b], pbi = pi[b];
        const T lar = lr[a], lai = li[a], lbr = lr[b], lbi = li[b];
        k00r += lar * par + lai * pai;
        k00i += lar * pai - lai * par;
        k01r += lar * pbr + lai * pbi;
        k01i += lar * pbi - lai * pbr;
        k10r += lbr * par + lbi * pai;
        k10i += lbr * pai - lbi * par;
        k11r += lbr * pbr + lbi * pbi;
        k11i += lbr * pbi - lbi * pbr;
        if constexpr (Unapply) {
            pair_update(pr[a], pi[a], pr[b], pi[b], ud);
            pair_update(lr[a], li[a], lr[b], li[b], ud);
        }
    };
    if (h < kWide) {
        for (int k = 0; k < N / 2; ++k) {
            const int a = int(dgq::insert_zero(unsigned(k), q));
            body(a, a + h);
        }
    } else {
        for (int base = 0; base < N; base += 2 * h) {
#pragma omp simd reduction(+ : k00r, k00i, k01r, k01i, k10r, k10i, k11r, k11i)
            for (int j = 0; j < h; ++j) body(base + j, base + j + h);
        }
    }
    const T k[8] = {k00r, k00i, k01r, k01i, k10r, k10i, k11r, k11i};
    for (int i = 0; i < 8; ++i) kout[i] = k[i];
}

// out[i] = in[idx[i]]
template <class T>
inline void gather(const T* __restrict in, T* __restrict out, const unsigned* __restrict idx, int N) {
    for (int i = 0; i < N; ++i) out[i] = in[idx[i]];
}

// Forward state of one sample into (w.pr, w.pi); optional shift of one parameter.
template <class T>
void forward_state(const Plan<T>& p, const T* x, const T* w, int shift_p, std::type_identity_t<T> shift_d,
                   Work<T>& wk) {
    const int n = p.n, N = p.N;
    T ang[DGQ_MAX_ROT + 1];
    // layer 0: product state of U0_q |0>
    T* re = wk.pr;
    T* im = wk.pi;
    re[0] = 1;
    im[0] = 0;
    const bool shift_in_layer0_rot = shift_p >= n && shift_p < n + n * p.k;
    for (int q = 0; q < n; ++q) {
        dgq::Mat2<T> u;
        if (shift_in_layer0_rot) {  // rare (parameter shift): the whole block from its angles
            dgq::block_angles<T>(p.c, 0, q, x, w, shift_p, shift_d, ang);
            u = dgq::block_matrix(p.desc0, ang);
        } else {  // U0_q = (layer-0 rotations) E(x_q)
            u = dgq::matmul(p.mats[q], dgq::rotation<T>(p.c.encoding, x[q] + (shift_p == q ? shift_d : T(0))));
        }
        const int h = 1 << q;
        const T ar = u.m00.re, ai = u.m00.im, br = u.m10.re, bi = u.m10.im;
        for (int i = 0; i < h; ++i) {
            const T xr = re[i], xi = im[i];
            re[i + h] = br * xr - bi * xi;
            im[i + h] = br * xi + bi * xr;
            re[i] = ar * xr - ai * xi;
            im[i] = ar * xi + ai * xr;
        }
    }
    for (int l = 0; l < p.L; ++l) {
        if (l > 0) {
            const int pl = n + l * n * p.k;  // first parameter of this layer
            int q0 = 0;
            if (n >= 3 && (shift_p < pl || shift_p >= pl + 3 * p.k)) {
                apply_low3(re, im, N, &p.mats[size_t(l) * n]);
                q0 = 3;
            }
            for (int q = q0; q < n; ++q) {
                const int pb = n + (l * n + q) * p.k;
                if (shift_p >= pb && shift_p < pb + p.k) {
                    dgq::block_angles<T>(p.c, l, q, x, w, shift_p, shift_d, ang);
                    apply_gate(re, im, N, q, dgq::block_matrix(p.desc, ang));
                } else {
                    apply_gate(re, im, N, q, p.mats[size_t(l) * n + q]);
                }
            }
        }
        if (p.ent) {
            gather(re, wk.tr, p.gat_fwd.data(), N);
            gather(im, wk.ti, p.gat_fwd.data(), N);
            std::swap(wk.pr, wk.tr);
            std::swap(wk.pi, wk.ti);
            re = wk.pr;
            im = wk.pi;
        }
    }
}

// z_q = sum_i |psi_i|^2 (1 - 2 b_q(i)), computed as total - 2 * (mass with bit q set).
template <class T>
void readout(const Plan<T>& p, const T* re, const T* im, T* prob, T* z) {
    const int N = p.N;
    T total = 0;
#pragma omp simd reduction(+ : total)
    for (int i = 0; i < N; ++i) {
        prob[i] = re[i] * re[i] + im[i] * im[i];
        total += prob[i];
    }
    for (int q = 0; q < p.n; ++q) {
        const int h = 1 << q;
        T s1 = 0;
        for (int base = h; base < N; base += 2 * h) {
            const T* pp = prob + base;
#pragma omp simd reduction(+ : s1)
            for (int j = 0; j < h; ++j) s1 += pp[j];
        }
        z[q] = total - 2 * s1;
    }
}

// The overlap passes of qubits 0, 1, 2 in one sweep over runs of 8
// amplitudes. All three K are taken before any of the three blocks is
// un-applied: blocks of one layer on different qubits commute, so each may be
// taken as the last one applied (the same argument lets layer 0 skip the
// un-apply altogether). k[q*8 .. q*8+7] receives K of qubit q.
template <bool Unapply, class T>
inline void overlap_low3(T* __restrict pr, T* __restrict pi, T* __restrict lr, T* __restrict li, int N,
                         const dgq::Mat2<T>* ud, T* k) {
    T acc[24] = {};
    for (int base = 0; base < N; base += 8) {
        T r[8], i[8], a[8], b[8];  // psi re/im, lambda re/im
        for (int j = 0; j < 8; ++j) {
            r[j] = pr[base + j];
            i[j] = pi[base + j];
            a[j] = lr[base + j];
            b[j] = li[base + j];
        }
        for (int q = 0; q < 3; ++q) {
            const int h = 1 << q;
            T* kq = acc + 8 * q;
            for (int m = 0; m < 4; ++m) {
                const int x = int(dgq::insert_zero(unsigned(m), q)), y = x + h;
                kq[0] += a[x] * r[x] + b[x] * i[x];
                kq[1] += a[x] * i[x] - b[x] * r[x];
                kq[2] += a[x] * r[y] + b[x] * i[y];
                kq[3] += a[x] * i[y] - b[x] * r[y];
                kq[4] += a[y] * r[x] + b[y] * i[x];
                kq[5] += a[y] * i[x] - b[y] * r[x];
                kq[6] += a[y] * r[y] + b[y] * i[y];
                kq[7] += a[y] * i[y] - b[y] * r[y];
            }
        }
        if constexpr (Unapply) {
            for (int q = 0; q < 3; ++q) {
                const int h = 1 << q;
                for (int m = 0; m < 4; ++m) {
                    const int x = int(dgq::insert_zero(unsigned(m), q)), y = x + h;
                    pair_update(r[x], i[x], r[y], i[y], ud[q]);
                    pair_update(a[x], b[x], a[y], b[y], ud[q]);
                }
            }
            for (int j = 0; j < 8; ++j) {
                pr[base + j] = r[j];
                pi[base + j] = i[j];
                lr[base + j] = a[j];
                li[base + j] = b[j];
            }
        }
    }
    for (int j = 0; j < 24; ++j) k[j] = acc[j];
}

template <class T>
void adjoint_sample(const Plan<T>& p, const T* x, const T* w, const T* g, T* dx, double* dw_acc, Work<T>& wk) {
    const int n = p.n, N = p.N, k = p.k;
    forward_state(p, x, w, -1, T(0), wk);
    // lambda = (sum_q g_q Z_q) psi; the diagonal is built by doubling.
    T* obs = wk.obs;
    T gs = 0;
    for (int q = 0; q < n; ++q) gs += g[q];
    obs[0] = gs;
    for (int q = 0; q < n; ++q) {
        const int h = 1 << q;
        for (int i = 0; i < h; ++i) obs[i + h] = obs[i] - 2 * g[q];
    }
    for (int i = 0; i < N; ++i) {
        wk.lr[i] = obs[i] * wk.pr[i];
        wk.li[i] = obs[i] * wk.pi[i];
    }
    for (int l = p.L - 1; l >= 0; --l) {
        if (p.ent) {  // undo the entangler on both states
            const unsigned* idx = p.gat_bwd.data();
            gather(wk.pr, wk.tr, idx, N);
            gather(wk.pi, wk.ti, idx, N);
            std::swap(wk.pr, wk.tr);
            std::swap(wk.pi, wk.ti);
            gather(wk.lr, wk.tr, idx, N);
            gather(wk.li, wk.ti, idx, N);
            std::swap(wk.lr, wk.tr);
            std::swap(wk.li, wk.ti);
        }
        const int qlow = n >= 3 ? 3 : 0;  // qubits below qlow are done in one fused sweep
        T klow[24];
        if (qlow == 3) {
            dgq::Mat2<T> ud[3];
            for (int q = 0; q < 3; ++q) ud[q] = dgq::dagger(p.mats[size_t(l) * n + q]);
            if (l > 0)
                overlap_low3<true>(wk.pr, wk.pi, wk.lr, wk.li, N, ud, klow);
            else
                overlap_low3<false>(wk.pr, wk.pi, wk.lr, wk.li, N, ud, klow);
        }
        for (int q = n - 1; q >= 0; --q) {
            // overlap K and (layers >= 1) the un-applied block in one pass;
            // layer 0 is not needed after its gradient
            T kv[8];
            if (q < qlow)
                for (int j = 0; j < 8; ++j) kv[j] = klow[q * 8 + j];
            else if (l > 0)
                overlap_pass<true>(wk.pr, wk.pi, wk.lr, wk.li, N, q, dgq::dagger(p.mats[size_t(l) * n + q]), kv);
            else
                overlap_pass<false>(wk.pr, wk.pi, wk.lr, wk.li, N, q, dgq::Mat2<T>{}, kv);
            const dgq::Mat2<T> K{{kv[0], kv[1]}, {kv[2], kv[3]}, {kv[4], kv[5]}, {kv[6], kv[7]}};
            const dgq::Mat2<T>* xm = &p.xmats[(size_t(l) * n + q) * (k + 1)];
            int g0 = 0;
            if (l == 0) dx[q] = dgq::grad_from_x(xm[g0++], K);
            for (int r = 0; r < k; ++r) dw_acc[(size_t(l) * n + q) * k + r] += dgq::grad_from_x(xm[g0 + r], K);
        }
    }
}

template <class T>
void shift_sample(const Plan<T>& p, const T* x, const T* w, const T* g, T* dx, double* dw_acc, Work<T>& wk) {
    const int n = p.n;
    const int P = dgq::num_params(p.c);
    const T half_pi = T(1.57079632679489661923);
    T z[32];
    for (int par = 0; par < P; ++par) {
        T f[2];
        for (int s = 0; s < 2; ++s) {
            forward_state(p, x, w, par, s == 0 ? half_pi : -half_pi, wk);
            readout(p, wk.pr, wk.pi, wk.tr, z);
            T acc = 0;
            for (int q = 0; q < n; ++q) acc += g[q] * z[q];
            f[s] = acc;
        }
        const T d = (f[0] - f[1]) / 2;
        if (par < n)
            dx[par] = d;
        else
            dw_acc[par - n] += d;
    }
}

template <class T>
bool use_parallel(int batch, int n, int L, int work_factor) {
    int threads = dgq_cpu_detail::threads();
#ifdef _OPENMP
    if (threads <= 0) threads = omp_get_max_threads();
#else
    threads = 1;
#endif
    const double work = double(batch) * double(1 << n) * double(L) * work_factor;
    return threads > 1 && batch >= 2 && work >= 16384.0;  // below that a team start dominates
}

// Runs body(chunk_index) over all chunks, in parallel where worthwhile.
// An exception must not leave an OpenMP region: a failed allocation in a
// worker is rethrown as std::bad_alloc after the region.
template <class F>
void for_chunks(int nchunks, bool par, F&& body) {
#ifdef _OPENMP
    if (par) {
        const int threads = dgq_cpu_detail::threads() > 0 ? dgq_cpu_detail::threads() : omp_get_max_threads();
        std::atomic<bool> failed{false};
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int ci = 0; ci < nchunks; ++ci) {
            if (failed.load(std::memory_order_relaxed)) continue;
            try {
                body(ci);
            } catch (const std::bad_alloc&) {
                failed = true;
            }
        }
        if (failed) throw std::bad_alloc();
        return;
    }
#else
    (void)par;
#endif
    for (int ci = 0; ci < nchunks; ++ci) body(ci);
}

// ---------------------------------------------------------------------------
// Lanes: the forward pass and the adjoint gradient on groups of kLanes<T>
// samples (one 64-byte cache line of T). Amplitude i of lane v is at
// i * kLanes + v, so every gate is a loop over whole rows of lanes with scalar
// coefficients (all samples share the weights). Every lane runs the same
// instruction sequence (the inner loops have a fixed length of one row and no
// remainder), so a row's result does not depend on its position in the batch.
// Used up to kMaxLaneQubits qubits; above that the
// per-sample code above serves.

template <class T>
constexpr int kLanes = int(64 / sizeof(T));
// Up to n = 18 (raised from 16: measured 1.5-3.9x the per-sample code at
// n = 17, 18, docs/benchmarks.md). The price is memory: a lane workspace is
// 9 planes of N rows of 64 bytes per thread, 144 MiB at n = 18 (the
// per-sample code: 7 MiB); n = 19 would double that again.
constexpr int kMaxLaneQubits = 18;
// DGQ_CPU_LANES_MAX=m moves the limit (side-by-side benchmarks, tests); read at every call.
inline int lanes_max() {
    const char* e = std::getenv("DGQ_CPU_LANES_MAX");
    return e ? std::atoi(e) : kMaxLaneQubits;
}

// Fused-block kinds of layers >= 1: general complex, real (RY only),
// diagonal (RZ only).
enum Kind { kGeneral = 0, kReal = 1, kDiag = 2 };

inline int block_kind(const dgq_circuit& c) {
    bool all_ry = true, all_rz = true;
    for (int r = 0; r < c.n_rot; ++r) {
        all_ry = all_ry && c.rot[r] == DGQ_RY;
        all_rz = all_rz && c.rot[r] == DGQ_RZ;
    }
    return all_ry ? kReal : (all_rz ? kDiag : kGeneral);
}
// RY encoding and RY rotations with CNOTs keep the state real.
inline bool real_state(const dgq_circuit& c) { return c.encoding == DGQ_RY && block_kind(c) == kReal; }

// 64-byte aligned buffer of T.
template <class T>
struct AlignedBuf {
    T* p = nullptr;
    explicit AlignedBuf(size_t count) {
        constexpr size_t kHuge = size_t(2) << 20;
        const size_t align = count * sizeof(T) >= kHuge ? kHuge : 64;  // large: 2 MiB pages where the OS gives them
        const size_t bytes = (count * sizeof(T) + align - 1) / align * align;
        p = static_cast<T*>(std::aligned_alloc(align, bytes > 0 ? bytes : 64));
        if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        if (align == kHuge) madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
    }
    ~AlignedBuf() { std::free(p); }
    AlignedBuf(const AlignedBuf&) = delete;
    AlignedBuf& operator=(const AlignedBuf&) = delete;
};

// Work arrays of one group: psi, lambda, a temporary (re, im each), the
// observable diagonal, the group's inputs and upstream gradients.
template <class T>
struct LaneWork {
    static constexpr int V = kLanes<T>;
    AlignedBuf<T> buf;
    T *pr, *pi, *lr, *li, *tr, *ti, *obs, *ur, *ui, *x, *g;
    LaneWork(int N, int n) : buf(size_t(N) * V * 9 + size_t(2) * n * V) {
        T* m = buf.p;
        const size_t s = size_t(N) * V;
        pr = m; pi = m + s; lr = m + 2 * s; li = m + 3 * s; tr = m + 4 * s; ti = m + 5 * s; obs = m + 6 * s;
        ur = m + 7 * s; ui = m + 8 * s;  // second temporary (the blocked adjoint gathers 4 planes at once)
        x = m + 9 * s;          // x[q * V + v]
        g = x + size_t(n) * V;  // g[q * V + v]
    }
};

// The calling thread's workspace, kept from call to call for the same (N, n):
// a fresh one per call cost more in page faults than the sweeps at n = 16
// (36 MiB per group at float32). It is released when the shape changes and
// when the thread ends.
template <class T>
LaneWork<T>& lane_work(int N, int n) {
    thread_local std::unique_ptr<LaneWork<T>> cache;
    thread_local int cn = -1, cN = -1;
    if (!cache || cN != N || cn != n) {
        cache.reset();
        cn = cN = -1;
        cache = std::make_unique<LaneWork<T>>(N, n);
        cN = N;
        cn = n;
    }
    return *cache;
}

#define DGQ_ROW(p) static_cast<T*>(__builtin_assume_aligned((p), 64))

// (row x, row y) <- U (row x, row y) for all lanes; Cx: complex state.
template <class T, int K, bool Cx>
inline void rows2(T* __restrict xr, T* __restrict xi, T* __restrict yr, T* __restrict yi, const dgq::Mat2<T>& u) {
    constexpr int V = kLanes<T>;
    xr = DGQ_ROW(xr);
    yr = DGQ_ROW(yr);
    const T a0r = u.m00.re, a0i = u.m00.im, a1r = u.m01.re, a1i = u.m01.im;
    const T b0r = u.m10.re, b0i = u.m10.im, b1r = u.m11.re, b1i = u.m11.im;
    if constexpr (!Cx) {
#pragma omp simd
        for (int v = 0; v < V; ++v) {
            const T x = xr[v], y = yr[v];
            xr[v] = a0r * x + a1r * y;
            yr[v] = b0r * x + b1r * y;
        }
    } else {
        xi = DGQ_ROW(xi);
        yi = DGQ_ROW(yi);
        if constexpr (K == kReal) {
#pragma omp simd
            for (int v = 0; v < V; ++v) {
                const T x = xr[v], y = yr[v], X = xi[v], Y = yi[v];
                xr[v] = a0r * x + a1r * y;
                yr[v] = b0r * x + b1r * y;
                xi[v] = a0r * X + a1r * Y;
                yi[v] = b0r * X + b1r * Y;
            }
        } else if constexpr (K == kDiag) {
#pragma omp simd
            for (int v = 0; v < V; ++v) {
                const T x = xr[v], y = yr[v], X = xi[v], Y = yi[v];
                xr[v] = a0r * x - a0i * X;
                xi[v] = a0r * X + a0i * x;
                yr[v] = b1r * y - b1i * Y;
                yi[v] = b1r * Y + b1i * y;
            }
        } else {
#pragma omp simd
            for (int v = 0; v < V; ++v) {
                const T x = xr[v], y = yr[v], X = xi[v], Y = yi[v];
                xr[v] = a0r * x - a0i * X + a1r * y - a1i * Y;
                xi[v] = a0r * X + a0i * x + a1r * Y + a1i * y;
                yr[v] = b0r * x - b0i * X + b1r * y - b1i * Y;
                yi[v] = b0r * X + b0i * x + b1r * Y + b1i * y;
            }
        }
    }
}

template <class T, int K, bool Cx>
void gate_lanes(T* re, T* im, int N, int q, const dgq::Mat2<T>& u) {
    constexpr size_t V = kLanes<T>;
    const int h = 1 << q;
    for (int base = 0; base < N; base += 2 * h)
        for (int j = 0; j < h; ++j) {
            const size_t a = size_t(base + j) * V, b = a + size_t(h) * V;
            rows2<T, K, Cx>(re + a, Cx ? im + a : nullptr, re + b, Cx ? im + b : nullptr, u);
        }
}

// Coefficients of one fused 2x2 as scalars.
template <class T>
struct Coef {
    T a0r, a0i, a1r, a1i, b0r, b0i, b1r, b1i;
    explicit Coef(const dgq::Mat2<T>& u)
        : a0r(u.m00.re), a0i(u.m00.im), a1r(u.m01.re), a1i(u.m01.im),
          b0r(u.m10.re), b0i(u.m10.im), b1r(u.m11.re), b1i(u.m11.im) {}
};

// (x, y) <- U (x, y) on registers; the same arithmetic as rows2.
// S: T or a GCC vector of T (the scalar coefficients are broadcast).
template <class S, class T, int K, bool Cx>
__attribute__((always_inline)) inline void pair_op(S& xr, S& xi, S& yr, S& yi, const Coef<T>& c) {
    if constexpr (!Cx) {
        const S x = xr, y = yr;
        xr = c.a0r * x + c.a1r * y;
        yr = c.b0r * x + c.b1r * y;
    } else if constexpr (K == kReal) {
        const S x = xr, y = yr, X = xi, Y = yi;
        xr = c.a0r * x + c.a1r * y;
        yr = c.b0r * x + c.b1r * y;
        xi = c.a0r * X + c.a1r * Y;
        yi = c.b0r * X + c.b1r * Y;
    } else if constexpr (K == kDiag) {
        const S x = xr, y = yr, X = xi, Y = yi;
        xr = c.a0r * x - c.a0i * X;
        xi = c.a0r * X + c.a0i * x;
        yr = c.b1r * y - c.b1i * Y;
        yi = c.b1r * Y + c.b1i * y;
    } else {
        const S x = xr, y = yr, X = xi, Y = yi;
        xr = c.a0r * x - c.a0i * X + c.a1r * y - c.a1i * Y;
        xi = c.a0r * X + c.a0i * x + c.a1r * Y + c.a1i * y;
        yr = c.b0r * x - c.b0i * X + c.b1r * y - c.b1i * Y;
        yi = c.b0r * X + c.b0i * x + c.b1r * Y + c.b1i * y;
    }
}

// The blocks of qubits q0, q0+1 (in this order) in one sweep: 4 rows of lanes
// at a time stay in registers.
template <class T, int K, bool Cx>
void gate2_lanes(T* re, T* im, int N, int q0, const dgq::Mat2<T>* u) {
    constexpr size_t V = kLanes<T>;
    const Coef<T> c0(u[0]), c1(u[1]);
    const int h = 1 << q0;
    const size_t s = size_t(h) * V;  // row distance of qubit q0
    T dummy[4] = {};
    for (int base = 0; base < N; base += 4 * h)
        for (int j = 0; j < h; ++j) {
            const size_t o = size_t(base + j) * V;
            T* __restrict r = re + o;
            T* __restrict m = Cx ? im + o : dummy;
#pragma omp simd
            for (size_t v = 0; v < V; ++v) {
                T x0 = r[v], x1 = r[s + v], x2 = r[2 * s + v], x3 = r[3 * s + v];
                T y0 = 0, y1 = 0, y2 = 0, y3 = 0;
                if constexpr (Cx) {
                    y0 = m[v]; y1 = m[s + v]; y2 = m[2 * s + v]; y3 = m[3 * s + v];
                }
                pair_op<T, T, K, Cx>(x0, y0, x1, y1, c0);
                pair_op<T, T, K, Cx>(x2, y2, x3, y3, c0);
                pair_op<T, T, K, Cx>(x0, y0, x2, y2, c1);
                pair_op<T, T, K, Cx>(x1, y1, x3, y3, c1);
                r[v] = x0; r[s + v] = x1; r[2 * s + v] = x2; r[3 * s + v] = x3;
                if constexpr (Cx) {
                    m[v] = y0; m[s + v] = y1; m[2 * s + v] = y2; m[3 * s + v] = y3;
                }
            }
        }
}

// All blocks of one layer: qubits in pairs (AVX-512 build) or one by one.
template <class T, int K, bool Cx>
void layer_lanes(T* re, T* im, int N, int n, const dgq::Mat2<T>* u) {
    int q = 0;
#if defined(__AVX512F__)  // measured faster there only (32 vector registers)
    for (; q + 2 <= n; q += 2) gate2_lanes<T, K, Cx>(re, im, N, q, u + q);
#endif
    for (; q < n; ++q) gate_lanes<T, K, Cx>(re, im, N, q, u[q]);
}

// The previous layer's entangler fused with this layer's first sweep: dst
// rows are gathered from src (dst row i = src row idx[i]) straight into
// registers, the blocks of qubit 0 (and 1, in the AVX-512 build) applied,
// then the other qubits in place. One pass over the state less per layer.
template <class T, int K, bool Cx>
void layer_lanes_gather(T* dre, T* dim, const T* sre, const T* sim, const unsigned* idx, int N, int n,
                        const dgq::Mat2<T>* u) {
    constexpr size_t V = kLanes<T>;
    const Coef<T> c0(u[0]);
    int q = 1;
#if defined(__AVX512F__)
    if (n >= 2) {
        const Coef<T> c1(u[1]);
        for (int base = 0; base < N; base += 4) {
            const T* __restrict a0 = DGQ_ROW(sre + size_t(idx[base]) * V);
            const T* __restrict a1 = DGQ_ROW(sre + size_t(idx[base + 1]) * V);
            const T* __restrict a2 = DGQ_ROW(sre + size_t(idx[base + 2]) * V);
            const T* __restrict a3 = DGQ_ROW(sre + size_t(idx[base + 3]) * V);
            T* __restrict r = DGQ_ROW(dre + size_t(base) * V);
            const T *b0 = nullptr, *b1 = nullptr, *b2 = nullptr, *b3 = nullptr;
            T* m = nullptr;
            if constexpr (Cx) {
                b0 = sim + size_t(idx[base]) * V;
                b1 = sim + size_t(idx[base + 1]) * V;
                b2 = sim + size_t(idx[base + 2]) * V;
                b3 = sim + size_t(idx[base + 3]) * V;
                m = dim + size_t(base) * V;
            }
#pragma omp simd
            for (size_t v = 0; v < V; ++v) {
                T x0 = a0[v], x1 = a1[v], x2 = a2[v], x3 = a3[v];
                T y0 = 0, y1 = 0, y2 = 0, y3 = 0;
                if constexpr (Cx) {
                    y0 = b0[v]; y1 = b1[v]; y2 = b2[v]; y3 = b3[v];
                }
                pair_op<T, T, K, Cx>(x0, y0, x1, y1, c0);
                pair_op<T, T, K, Cx>(x2, y2, x3, y3, c0);
                pair_op<T, T, K, Cx>(x0, y0, x2, y2, c1);
                pair_op<T, T, K, Cx>(x1, y1, x3, y3, c1);
                r[v] = x0; r[V + v] = x1; r[2 * V + v] = x2; r[3 * V + v] = x3;
                if constexpr (Cx) {
                    m[v] = y0; m[V + v] = y1; m[2 * V + v] = y2; m[3 * V + v] = y3;
                }
            }
        }
        q = 2;
    } else
#endif
    {
        for (int base = 0; base < N; base += 2) {
            const T* __restrict a0 = DGQ_ROW(sre + size_t(idx[base]) * V);
            const T* __restrict a1 = DGQ_ROW(sre + size_t(idx[base + 1]) * V);
            T* __restrict r = DGQ_ROW(dre + size_t(base) * V);
            const T *b0 = nullptr, *b1 = nullptr;
            T* m = nullptr;
            if constexpr (Cx) {
                b0 = sim + size_t(idx[base]) * V;
                b1 = sim + size_t(idx[base + 1]) * V;
                m = dim + size_t(base) * V;
            }
#pragma omp simd
            for (size_t v = 0; v < V; ++v) {
                T x0 = a0[v], x1 = a1[v], y0 = 0, y1 = 0;
                if constexpr (Cx) {
                    y0 = b0[v]; y1 = b1[v];
                }
                pair_op<T, T, K, Cx>(x0, y0, x1, y1, c0);
                r[v] = x0; r[V + v] = x1;
                if constexpr (Cx) {
                    m[v] = y0; m[V + v] = y1;
                }
            }
        }
    }
#if defined(__AVX512F__)
    for (; q + 2 <= n; q += 2) gate2_lanes<T, K, Cx>(dre, dim, N, q, u + q);
#endif
    for (; q < n; ++q) gate_lanes<T, K, Cx>(dre, dim, N, q, u[q]);
}

// out row i = in row idx[i] (the entangler layer as one permutation of rows)
template <class T>
inline void gather_rows(const T* __restrict in, T* __restrict out, const unsigned* __restrict idx, int N) {
    constexpr size_t V = kLanes<T>;
    for (int i = 0; i < N; ++i) std::memcpy(out + size_t(i) * V, in + size_t(idx[i]) * V, V * sizeof(T));
}

// ---- Cache blocking of the adjoint sweep (issue 14, item 3) ----
// Once psi and lambda leave the L2 cache (n = 14 float32: 4 MiB per group),
// one overlap sweep per qubit means one pass over L3 per qubit. Blocked, a
// layer of the backward sweep takes two passes: (1) tiles of 2^tb consecutive
// rows (all planes together about DGQ_CPU_BLOCK KiB, 512 by default) are each
// gathered through the entangler's inverse permutation and then get the
// overlaps of every qubit < tb while they sit in L2; (2) the qubits >= tb,
// tile by tile as well: a tile there is 2^m strips of C consecutive rows, the
// strips differing in the m = n - tb high bits, so every pair a high qubit
// couples lies in one tile. Blocks of one layer commute, so this order is
// exact; results differ from unblocked sweeps only in rounding (the summation
// order of the overlaps), the same for every lane, thread count and batch.
// The forward pass is not blocked: measured side by side it was no faster at
// n = 14 and 5-10% slower at n = 16 (docs/benchmarks.md, issue 14).
// DGQ_CPU_BLOCK=0 switches blocking off (for side-by-side benchmarks); it is
// read at every call.

// log2 of the tile rows for a sweep touching `planes` arrays of rows
// (64 bytes a row whatever T), or -1 when blocking is off.
inline int block_tile_bits(int planes) {
    long kib = 512;
    if (const char* e = std::getenv("DGQ_CPU_BLOCK")) {
        char* end = nullptr;
        const long v = std::strtol(e, &end, 10);
        if (end != e) kib = v;
    }
    if (kib <= 0) return -1;
    const long rows = kib * 1024 / (64L * planes);
    int tb = 4;
    while (tb < 24 && (2L << tb) <= rows) ++tb;
    return tb;
}

// Adjoint with snapshots of psi (lanes_forward_snap) where they take at most
// DGQ_CPU_SNAPSHOT_MIB MiB per thread. Off by default (0): measured side by
// side with the blocked un-applying sweep it was within +-3% at n = 12, 14,
// 16 (docs/benchmarks.md, issue 14), and it holds L + 1 more states.
inline bool adjoint_snapshots(size_t bytes) {
    long mib = 0;
    if (const char* e = std::getenv("DGQ_CPU_SNAPSHOT_MIB")) {
        char* end = nullptr;
        const long v = std::strtol(e, &end, 10);
        if (end != e) mib = v;
    }
    return mib > 0 && bytes <= size_t(mib) << 20;
}

// Tile geometry of the high pass: m high qubits, strips of C rows.
struct HighTiles {
    int m, C;
    HighTiles(int n, int tb) : m(std::max(0, n - tb)), C(1 << std::max(0, tb - std::max(0, n - tb))) {}
};

// DGQ_CPU_FUSE_GATHER=0 keeps the entangler as a pass of its own (side-by-side benchmarks, tests).
inline bool fuse_gather() {
    const char* e = std::getenv("DGQ_CPU_FUSE_GATHER");
    return !(e && std::strcmp(e, "0") == 0);
}

// Forward state of a group (inputs in wk.x) into (wk.pr, wk.pi).
// Layer 0 of a group (inputs in wk.x): the product state U0_q |0> into (re, im).
// qs >= 0: qubit qs's block of lane v is us[v] instead (parameter shift).
template <class T, bool Cx>
void lanes_product(const Plan<T>& p, const T* xg, T* re, T* im, int qs = -1, const dgq::Mat2<T>* us = nullptr) {
    constexpr int V = kLanes<T>;
    const int n = p.n;
    for (int v = 0; v < V; ++v) {
        re[v] = 1;
        if constexpr (Cx) im[v] = 0;
    }
    // Product start: U0_q |0> = (a, b) per qubit and lane; the state by doubling.
    alignas(64) T ar[V], ai[V], br[V], bi[V];
    for (int q = 0; q < n; ++q) {
        for (int v = 0; v < V; ++v) {
            const dgq::Mat2<T> u =
                q == qs ? us[v] : dgq::matmul(p.mats[q], dgq::rotation<T>(p.c.encoding, xg[q * V + v]));
            ar[v] = u.m00.re;
            ai[v] = u.m00.im;
            br[v] = u.m10.re;
            bi[v] = u.m10.im;
        }
        const int h = 1 << q;
        for (int i = 0; i < h; ++i) {
            T* __restrict r0 = DGQ_ROW(re + size_t(i) * V);
            T* __restrict r1 = DGQ_ROW(re + size_t(i + h) * V);
            if constexpr (Cx) {
                T* __restrict i0 = DGQ_ROW(im + size_t(i) * V);
                T* __restrict i1 = DGQ_ROW(im + size_t(i + h) * V);
#pragma omp simd
                for (int v = 0; v < V; ++v) {
                    const T xr = r0[v], xi = i0[v];
                    r1[v] = br[v] * xr - bi[v] * xi;
                    i1[v] = br[v] * xi + bi[v] * xr;
                    r0[v] = ar[v] * xr - ai[v] * xi;
                    i0[v] = ar[v] * xi + ai[v] * xr;
                }
            } else {
#pragma omp simd
                for (int v = 0; v < V; ++v) {
                    const T xr = r0[v];
                    r1[v] = br[v] * xr;
                    r0[v] = ar[v] * xr;
                }
            }
        }
    }
}

template <class T, bool Cx>
void lanes_forward_state(const Plan<T>& p, int kind, LaneWork<T>& wk) {
    const int n = p.n, N = p.N;
    T* re = wk.pr;
    T* im = wk.pi;
    lanes_product<T, Cx>(p, wk.x, re, im);
    if (p.ent && N >= 4 && fuse_gather()) {
        for (int l = 1; l < p.L; ++l) {  // entangler l-1 fused with layer l's first sweep
            const dgq::Mat2<T>* u = &p.mats[size_t(l) * n];
            const unsigned* idx = p.gat_fwd.data();
            if constexpr (!Cx)
                layer_lanes_gather<T, kReal, false>(wk.tr, wk.ti, wk.pr, wk.pi, idx, N, n, u);
            else if (kind == kReal)
                layer_lanes_gather<T, kReal, true>(wk.tr, wk.ti, wk.pr, wk.pi, idx, N, n, u);
            else if (kind == kDiag)
                layer_lanes_gather<T, kDiag, true>(wk.tr, wk.ti, wk.pr, wk.pi, idx, N, n, u);
            else
                layer_lanes_gather<T, kGeneral, true>(wk.tr, wk.ti, wk.pr, wk.pi, idx, N, n, u);
            std::swap(wk.pr, wk.tr);
            std::swap(wk.pi, wk.ti);
        }
        gather_rows(wk.pr, wk.tr, p.gat_fwd.data(), N);
        std::swap(wk.pr, wk.tr);
        if constexpr (Cx) {
            gather_rows(wk.pi, wk.ti, p.gat_fwd.data(), N);
            std::swap(wk.pi, wk.ti);
        }
        return;
    }
    for (int l = 0; l < p.L; ++l) {
        if (l > 0) {
            const dgq::Mat2<T>* u = &p.mats[size_t(l) * n];
            if constexpr (!Cx)
                layer_lanes<T, kReal, false>(re, im, N, n, u);
            else if (kind == kReal)
                layer_lanes<T, kReal, true>(re, im, N, n, u);
            else if (kind == kDiag)
                layer_lanes<T, kDiag, true>(re, im, N, n, u);
            else
                layer_lanes<T, kGeneral, true>(re, im, N, n, u);
        }
        if (p.ent) {
            gather_rows(re, wk.tr, p.gat_fwd.data(), N);
            std::swap(wk.pr, wk.tr);
            if constexpr (Cx) {
                gather_rows(im, wk.ti, p.gat_fwd.data(), N);
                std::swap(wk.pi, wk.ti);
            }
            re = wk.pr;
            im = wk.pi;
        }
    }
}

// The blocks u[0..n) of one layer on (re, im), by kind.
template <class T, bool Cx>
void layer_kind(int kind, T* re, T* im, int N, int n, const dgq::Mat2<T>* u) {
    if constexpr (!Cx)
        layer_lanes<T, kReal, false>(re, im, N, n, u);
    else if (kind == kReal)
        layer_lanes<T, kReal, true>(re, im, N, n, u);
    else if (kind == kDiag)
        layer_lanes<T, kDiag, true>(re, im, N, n, u);
    else
        layer_lanes<T, kGeneral, true>(re, im, N, n, u);
}

// Forward pass for the adjoint sweep that keeps the state after every
// layer's blocks: snapshot b (re at snap + 2b NV, im at snap + (2b+1) NV)
// holds psi after the blocks of layer b (b < L) and the final state (b = L),
// so the backward sweep reads psi instead of un-applying the blocks on it.
template <class T, bool Cx>
void lanes_forward_snap(const Plan<T>& p, int kind, LaneWork<T>& wk, T* snap) {
    const int n = p.n, N = p.N;
    const size_t NV = size_t(N) * kLanes<T>;
    auto R = [&](int b) { return snap + size_t(2 * b) * NV; };
    auto I = [&](int b) { return snap + size_t(2 * b + 1) * NV; };
    lanes_product<T, Cx>(p, wk.x, R(0), I(0));
    for (int l = 1; l <= p.L; ++l) {
        if (p.ent) {
            gather_rows(R(l - 1), R(l), p.gat_fwd.data(), N);
            if constexpr (Cx) gather_rows(I(l - 1), I(l), p.gat_fwd.data(), N);
        } else {
            std::memcpy(R(l), R(l - 1), NV * sizeof(T));
            if constexpr (Cx) std::memcpy(I(l), I(l - 1), NV * sizeof(T));
        }
        if (l < p.L) layer_kind<T, Cx>(kind, R(l), I(l), N, n, &p.mats[size_t(l) * n]);
    }
}

// Snapshot buffer of the calling thread (kept like lane_work), in T.
template <class T>
T* snap_work(size_t count) {
    thread_local std::unique_ptr<AlignedBuf<T>> cache;
    thread_local size_t cap = 0;
    if (!cache || cap != count) {
        cache.reset();
        cap = 0;
        cache = std::make_unique<AlignedBuf<T>>(count);
        cap = count;
    }
    return cache->p;
}

// Readout by folding: with the probabilities of qubits 0..q (rows 0..2h),
// z_q = sum_{i<h} (P_i - P_{i+h}); then P_i += P_{i+h} folds qubit q away.
template <class T, bool Cx>
void lanes_readout(const Plan<T>& p, const T* re, const T* im, T* prob, T* z /* z[q * V + v] */) {
    constexpr int V = kLanes<T>;
    const size_t NV = size_t(p.N) * V;
    T* __restrict pb = DGQ_ROW(prob);
    const T* __restrict r = DGQ_ROW(re);
    if constexpr (Cx) {
        const T* __restrict m = DGQ_ROW(im);
#pragma omp simd
        for (size_t i = 0; i < NV; ++i) pb[i] = r[i] * r[i] + m[i] * m[i];
    } else {
#pragma omp simd
        for (size_t i = 0; i < NV; ++i) pb[i] = r[i] * r[i];
    }
    for (int q = p.n - 1; q >= 0; --q) {
        const int h = 1 << q;
        alignas(64) T s[V] = {};
        for (int i = 0; i < h; ++i) {
            T* __restrict lo = DGQ_ROW(pb + size_t(i) * V);
            const T* __restrict hi = DGQ_ROW(pb + size_t(i + h) * V);
#pragma omp simd
            for (int v = 0; v < V; ++v) {
                s[v] += lo[v] - hi[v];
                lo[v] += hi[v];
            }
        }
        for (int v = 0; v < V; ++v) z[q * V + v] = s[v];
    }
}

// Overlap K_ab = sum conj(lambda_a) phi_b per lane for qubit q (k[c * V + v],
// c = re/im of K00, K01, K10, K11) and, if Unapply, ud applied to both states.
// A native vector of T as a GCC vector type: 64 bytes in the AVX-512 build,
// 32 with AVX2, 16 otherwise. The overlap sweep runs once per such slice of
// a row, so its 8 accumulators and the 8 loaded values stay in registers;
// every lane gets the same vector instructions.
#if defined(__AVX512F__)
#define DGQ_VEC_BYTES 64
#elif defined(__AVX2__)
#define DGQ_VEC_BYTES 32
#else
#define DGQ_VEC_BYTES 16
#endif
typedef float VecF32 __attribute__((vector_size(DGQ_VEC_BYTES)));
typedef double VecF64 __attribute__((vector_size(DGQ_VEC_BYTES)));
template <class T>
using Vec = std::conditional_t<sizeof(T) == 4, VecF32, VecF64>;

template <class T, int K, bool Cx, bool Unapply>
void overlap_lanes(T* pr, T* pi, T* lr, T* li, int N, int q, const dgq::Mat2<T>& ud, T* k) {
    constexpr int V = kLanes<T>;
    constexpr int W = DGQ_VEC_BYTES / int(sizeof(T));  // lanes per vector
    using S = Vec<T>;
    const Coef<T> cu(ud);
    const int h = 1 << q;
    auto ld = [](const T* p) { return *reinterpret_cast<const S*>(p); };
    auto st = [](T* p, const S& x) { *reinterpret_cast<S*>(p) = x; };
    for (int c = 0; c < V / W; ++c) {
        S k00r = {}, k00i = {}, k01r = {}, k01i = {}, k10r = {}, k10i = {}, k11r = {}, k11i = {};
        for (int base = 0; base < N; base += 2 * h)
            for (int j = 0; j < h; ++j) {
                const size_t a = size_t(base + j) * V + size_t(c) * W, b = a + size_t(h) * V;
                S par = ld(pr + a), pbr = ld(pr + b), lar = ld(lr + a), lbr = ld(lr + b);
                S pai = {}, pbi = {}, lai = {}, lbi = {};
                if constexpr (Cx) {
                    pai = ld(pi + a);
                    pbi = ld(pi + b);
                    lai = ld(li + a);
                    lbi = ld(li + b);
                    k00r += lar * par + lai * pai;
                    k00i += lar * pai - lai * par;
                    k01r += lar * pbr + lai * pbi;
                    k01i += lar * pbi - lai * pbr;
                    k10r += lbr * par + lbi * pai;
                    k10i += lbr * pai - lbi * par;
                    k11r += lbr * pbr + lbi * pbi;
                    k11i += lbr * pbi - lbi * pbr;
                } else {
                    k00r += lar * par;
                    k01r += lar * pbr;
                    k10r += lbr * par;
                    k11r += lbr * pbr;
                }
                if constexpr (Unapply) {
                    pair_op<S, T, K, Cx>(par, pai, pbr, pbi, cu);
                    pair_op<S, T, K, Cx>(lar, lai, lbr, lbi, cu);
                    st(pr + a, par);
                    st(pr + b, pbr);
                    st(lr + a, lar);
                    st(lr + b, lbr);
                    if constexpr (Cx) {
                        st(pi + a, pai);
                        st(pi + b, pbi);
                        st(li + a, lai);
                        st(li + b, lbi);
                    }
                }
            }
        for (int w = 0; w < W; ++w) {
            const int v = c * W + w;
            k[0 * V + v] = k00r[w];
            k[1 * V + v] = k00i[w];
            k[2 * V + v] = k01r[w];
            k[3 * V + v] = k01i[w];
            k[4 * V + v] = k10r[w];
            k[5 * V + v] = k10i[w];
            k[6 * V + v] = k11r[w];
            k[7 * V + v] = k11i[w];
        }
    }
}

template <class T, bool Cx, bool Unapply>
void overlap_dispatch(int kind, LaneWork<T>& wk, int N, int q, const dgq::Mat2<T>& ud, T* k) {
    if constexpr (!Cx)
        overlap_lanes<T, kReal, false, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, N, q, ud, k);
    else if (kind == kReal)
        overlap_lanes<T, kReal, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, N, q, ud, k);
    else if (kind == kDiag)
        overlap_lanes<T, kDiag, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, N, q, ud, k);
    else
        overlap_lanes<T, kGeneral, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, N, q, ud, k);
}

template <class T, bool Cx, bool Unapply>
void overlap_dispatch(int kind, T* pr, T* pi, T* lr, T* li, int N, int q, const dgq::Mat2<T>& ud, T* k) {
    if constexpr (!Cx)
        overlap_lanes<T, kReal, false, Unapply>(pr, pi, lr, li, N, q, ud, k);
    else if (kind == kReal)
        overlap_lanes<T, kReal, true, Unapply>(pr, pi, lr, li, N, q, ud, k);
    else if (kind == kDiag)
        overlap_lanes<T, kDiag, true, Unapply>(pr, pi, lr, li, N, q, ud, k);
    else
        overlap_lanes<T, kGeneral, true, Unapply>(pr, pi, lr, li, N, q, ud, k);
}

// overlap_lanes for the row pairs (a + j, b + j), j < rows (element offsets a, b),
// ADDED to k (the high pass of the blocked adjoint sweep).
template <class T, int K, bool Cx, bool Unapply>
void overlap_span(T* pr, T* pi, T* lr, T* li, size_t a0, size_t b0, int rows, const Coef<T>& cu, T* k) {
    constexpr int V = kLanes<T>;
    constexpr int W = DGQ_VEC_BYTES / int(sizeof(T));
    using S = Vec<T>;
    auto ld = [](const T* p) { return *reinterpret_cast<const S*>(p); };
    auto st = [](T* p, const S& x) { *reinterpret_cast<S*>(p) = x; };
    for (int c = 0; c < V / W; ++c) {
        S k00r = {}, k00i = {}, k01r = {}, k01i = {}, k10r = {}, k10i = {}, k11r = {}, k11i = {};
        for (int j = 0; j < rows; ++j) {
            const size_t a = a0 + size_t(j) * V + size_t(c) * W, b = b0 + size_t(j) * V + size_t(c) * W;
            S par = ld(pr + a), pbr = ld(pr + b), lar = ld(lr + a), lbr = ld(lr + b);
            S pai = {}, pbi = {}, lai = {}, lbi = {};
            if constexpr (Cx) {
                pai = ld(pi + a);
                pbi = ld(pi + b);
                lai = ld(li + a);
                lbi = ld(li + b);
                k00r += lar * par + lai * pai;
                k00i += lar * pai - lai * par;
                k01r += lar * pbr + lai * pbi;
                k01i += lar * pbi - lai * pbr;
                k10r += lbr * par + lbi * pai;
                k10i += lbr * pai - lbi * par;
                k11r += lbr * pbr + lbi * pbi;
                k11i += lbr * pbi - lbi * pbr;
            } else {
                k00r += lar * par;
                k01r += lar * pbr;
                k10r += lbr * par;
                k11r += lbr * pbr;
            }
            if constexpr (Unapply) {
                pair_op<S, T, K, Cx>(par, pai, pbr, pbi, cu);
                pair_op<S, T, K, Cx>(lar, lai, lbr, lbi, cu);
                st(pr + a, par);
                st(pr + b, pbr);
                st(lr + a, lar);
                st(lr + b, lbr);
                if constexpr (Cx) {
                    st(pi + a, pai);
                    st(pi + b, pbi);
                    st(li + a, lai);
                    st(li + b, lbi);
                }
            }
        }
        for (int w = 0; w < W; ++w) {
            const int v = c * W + w;
            k[0 * V + v] += k00r[w];
            k[1 * V + v] += k00i[w];
            k[2 * V + v] += k01r[w];
            k[3 * V + v] += k01i[w];
            k[4 * V + v] += k10r[w];
            k[5 * V + v] += k10i[w];
            k[6 * V + v] += k11r[w];
            k[7 * V + v] += k11i[w];
        }
    }
}

// One layer of the blocked adjoint sweep: undo the entangler (if ent) fused
// with the overlaps (and, if Unapply, un-applied blocks) of qubits < tb tile
// by tile, then the high qubits tile by tile. kall[q * 8V ..] receives K of
// qubit q. Blocks of one layer commute: each K is taken with the blocks of
// the other qubits either applied or un-applied on both states alike.
template <class T, int K, bool Cx, bool Unapply>
void adjoint_layer_blocked(const Plan<T>& p, int kind, LaneWork<T>& wk, int l, int tb, T* kall) {
    constexpr int V = kLanes<T>;
    const int n = p.n, N = p.N, nlow = std::min(n, tb);
    const int Tr = std::min(N, 1 << tb);
    alignas(64) T kv[8 * V];
    std::fill(kall, kall + size_t(n) * 8 * V, T(0));
    dgq::Mat2<T> ud[DGQ_CPU_MAX_QUBITS];
    for (int q = 0; q < n; ++q) ud[q] = Unapply ? dgq::dagger(p.mats[size_t(l) * n + q]) : dgq::Mat2<T>{};
    const unsigned* idx = p.ent ? p.gat_bwd.data() : nullptr;
    T *pr = idx ? wk.ur : wk.pr, *pi = idx ? wk.ui : wk.pi, *lr = idx ? wk.tr : wk.lr, *li = idx ? wk.ti : wk.li;
    for (int t0 = 0; t0 < N; t0 += Tr) {
        const size_t o = size_t(t0) * V;
        if (idx) {
            gather_rows(wk.pr, pr + o, idx + t0, Tr);
            gather_rows(wk.lr, lr + o, idx + t0, Tr);
            if constexpr (Cx) {
                gather_rows(wk.pi, pi + o, idx + t0, Tr);
                gather_rows(wk.li, li + o, idx + t0, Tr);
            }
        }
        for (int q = nlow - 1; q >= 0; --q) {
            overlap_dispatch<T, Cx, Unapply>(kind, pr + o, pi + o, lr + o, li + o, Tr, q, ud[q], kv);
            T* kq = kall + size_t(q) * 8 * V;
            for (int j = 0; j < 8 * V; ++j) kq[j] += kv[j];
        }
    }
    if (idx) {
        std::swap(wk.pr, wk.ur);
        std::swap(wk.pi, wk.ui);
        std::swap(wk.lr, wk.tr);
        std::swap(wk.li, wk.ti);
    }
    if (n <= tb) return;
    const HighTiles ht(n, tb);
    for (int j0 = 0; j0 < (1 << tb); j0 += ht.C)
        for (int i = ht.m - 1; i >= 0; --i) {
            const Coef<T> cu(ud[tb + i]);
            T* kq = kall + size_t(tb + i) * 8 * V;
            for (int s = 0; s < (1 << ht.m); ++s) {
                if ((s >> i) & 1) continue;
                const size_t a = (size_t(j0) + (size_t(s) << tb)) * V;
                const size_t b = a + (size_t(1) << (tb + i)) * V;
                if constexpr (!Cx)
                    overlap_span<T, kReal, false, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, a, b, ht.C, cu, kq);
                else if (K == kReal)
                    overlap_span<T, kReal, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, a, b, ht.C, cu, kq);
                else if (K == kDiag)
                    overlap_span<T, kDiag, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, a, b, ht.C, cu, kq);
                else
                    overlap_span<T, kGeneral, true, Unapply>(wk.pr, wk.pi, wk.lr, wk.li, a, b, ht.C, cu, kq);
            }
        }
}

// Overlaps of the snapshot sweep. X = V P V^dagger of every gate is Hermitian
// and traceless (P a Pauli matrix), so Im sum_ab X_ab K_ab needs only
//   D = Im K00 - Im K11, S = Im K01 + Im K10, R = Re K01 - Re K10:
// gradient = Re X00 D + Re X01 S + Im X01 R. D of every qubit comes from one
// row quantity c_i = Im(conj(lambda_i) psi_i), folded like the readout; S and
// R take 8 multiply-adds per row pair (the full K took 16).
// One row pair <- U (pair), by kind.
template <class T, bool Cx>
inline void rows_kind(int kind, T* xr, T* xi, T* yr, T* yi, const dgq::Mat2<T>& u) {
    if constexpr (!Cx)
        rows2<T, kReal, false>(xr, nullptr, yr, nullptr, u);
    else if (kind == kReal)
        rows2<T, kReal, true>(xr, xi, yr, yi, u);
    else if (kind == kDiag)
        rows2<T, kDiag, true>(xr, xi, yr, yi, u);
    else
        rows2<T, kGeneral, true>(xr, xi, yr, yi, u);
}

template <class S, bool Cx>
__attribute__((always_inline)) inline void sr_body(const S& par, const S& pai, const S& pbr, const S& pbi, const S& lar,
                                                   const S& lai, const S& lbr, const S& lbi, S* acc) {
    acc[4] += lar * pbr;
    acc[6] += lbr * par;
    if constexpr (Cx) {
        acc[0] += lar * pbi;
        acc[1] += lai * pbr;
        acc[2] += lbr * pai;
        acc[3] += lbi * par;
        acc[5] += lai * pbi;
        acc[7] += lbi * pai;
    }
}

// S, R of qubit q over an array of N rows (or, Span, over the row pairs
// (a0 + j, b0 + j), j < N), ADDED to ks[v], kr[v].
template <class T, bool Cx, bool Span>
void sr_pass(const T* pr, const T* pi, const T* lr, const T* li, int N, int q, size_t a0, size_t b0, T* ks, T* kr) {
    constexpr int V = kLanes<T>;
    constexpr int W = DGQ_VEC_BYTES / int(sizeof(T));
    using S = Vec<T>;
    auto ld = [](const T* p) { return *reinterpret_cast<const S*>(p); };
    const int h = Span ? N : 1 << q;
    for (int c = 0; c < V / W; ++c) {
        S acc[8] = {};
        for (int base = 0; base < N; base += 2 * h)
            for (int j = 0; j < h; ++j) {
                const size_t a = (Span ? a0 + size_t(j) * V : size_t(base + j) * V) + size_t(c) * W;
                const size_t b = Span ? b0 + size_t(j) * V + size_t(c) * W : a + size_t(h) * V;
                S pai = {}, pbi = {}, lai = {}, lbi = {};
                if constexpr (Cx) {
                    pai = ld(pi + a);
                    pbi = ld(pi + b);
                    lai = ld(li + a);
                    lbi = ld(li + b);
                }
                sr_body<S, Cx>(ld(pr + a), pai, ld(pr + b), pbi, ld(lr + a), lai, ld(lr + b), lbi, acc);
            }
        const S sv = acc[0] - acc[1] + acc[2] - acc[3], rv = acc[4] + acc[5] - acc[6] - acc[7];
        for (int w = 0; w < W; ++w) {
            ks[c * W + w] += sv[w];
            kr[c * W + w] += rv[w];
        }
    }
}

// The snapshot sweep's overlaps of layer l (psi = (br, bi), the snapshot after
// layer l's blocks): lambda <- entangler^-1 lambda (if ent) fused, tile by
// tile (tb < 0: one tile), with c_i (into wk.obs) and S, R of the qubits
// < tb; then S, R of the high qubits tile by tile; then D by folding c.
// kd, ks, kr: [n][V].
template <class T, bool Cx>
void snap_overlaps(const Plan<T>& p, int kind, LaneWork<T>& wk, const T* br, const T* bi, int tb, T* kd, T* ks, T* kr,
                   const dgq::Mat2<T>* ud) {
    constexpr int V = kLanes<T>;
    const int n = p.n, N = p.N;
    if (tb < 0 || tb > n) tb = n;
    const int Tr = std::min(N, 1 << tb);
    std::fill(ks, ks + size_t(n) * V, T(0));
    std::fill(kr, kr + size_t(n) * V, T(0));
    std::fill(kd, kd + size_t(n) * V, T(0));
    const unsigned* idx = p.ent ? p.gat_bwd.data() : nullptr;
    T *lr = idx ? wk.tr : wk.lr, *li = idx ? wk.ti : wk.li;
    for (int t0 = 0; t0 < N; t0 += Tr) {
        const size_t o = size_t(t0) * V;
        if (idx) {
            gather_rows(wk.lr, lr + o, idx + t0, Tr);
            if constexpr (Cx) gather_rows(wk.li, li + o, idx + t0, Tr);
        }
        if constexpr (Cx) {
            const size_t TV = size_t(Tr) * V;
            T* __restrict c = DGQ_ROW(wk.obs + o);
            const T* __restrict a = DGQ_ROW(lr + o);
            const T* __restrict b = DGQ_ROW(li + o);
            const T* __restrict x = DGQ_ROW(br + o);
            const T* __restrict y = DGQ_ROW(bi + o);
#pragma omp simd
            for (size_t i = 0; i < TV; ++i) c[i] = a[i] * y[i] - b[i] * x[i];
        }
        for (int q = tb - 1; q >= 0; --q)
            sr_pass<T, Cx, false>(br + o, bi + o, lr + o, li + o, Tr, q, 0, 0, ks + size_t(q) * V, kr + size_t(q) * V);
    }
    if (idx) {
        std::swap(wk.lr, wk.tr);
        std::swap(wk.li, wk.ti);
    }
    if (n > tb) {
        const HighTiles ht(n, tb);
        for (int j0 = 0; j0 < (1 << tb); j0 += ht.C) {
            for (int i = ht.m - 1; i >= 0; --i)
                for (int s = 0; s < (1 << ht.m); ++s) {
                    if ((s >> i) & 1) continue;
                    const size_t a = (size_t(j0) + (size_t(s) << tb)) * V;
                    const size_t b = a + (size_t(1) << (tb + i)) * V;
                    sr_pass<T, Cx, true>(br, bi, wk.lr, wk.li, ht.C, 0, a, b, ks + size_t(tb + i) * V,
                                         kr + size_t(tb + i) * V);
                }
            if (ud)  // this tile's overlaps are done: un-apply the high blocks on lambda here
                for (int i = 0; i < ht.m; ++i)
                    for (int s = 0; s < (1 << ht.m); ++s) {
                        if ((s >> i) & 1) continue;
                        const size_t a = (size_t(j0) + (size_t(s) << tb)) * V;
                        const size_t b = a + (size_t(1) << (tb + i)) * V;
                        for (int j = 0; j < ht.C; ++j) {
                            const size_t o = size_t(j) * V;
                            rows_kind<T, Cx>(kind, wk.lr + a + o, wk.li + a + o, wk.lr + b + o, wk.li + b + o,
                                             ud[tb + i]);
                        }
                    }
        }
    }
    if (ud)  // then the low blocks, tile by tile
        for (int t0 = 0; t0 < N; t0 += Tr) {
            const size_t o = size_t(t0) * V;
            if constexpr (!Cx)
                layer_lanes<T, kReal, false>(wk.lr + o, wk.li + o, Tr, std::min(n, tb), ud);
            else if (kind == kReal)
                layer_lanes<T, kReal, true>(wk.lr + o, wk.li + o, Tr, std::min(n, tb), ud);
            else if (kind == kDiag)
                layer_lanes<T, kDiag, true>(wk.lr + o, wk.li + o, Tr, std::min(n, tb), ud);
            else
                layer_lanes<T, kGeneral, true>(wk.lr + o, wk.li + o, Tr, std::min(n, tb), ud);
        }
    if constexpr (Cx) {  // D_q = sum_i c_i (1 - 2 b_q(i)), folding qubit q away after use
        T* pb = wk.obs;
        for (int q = n - 1; q >= 0; --q) {
            const int h = 1 << q;
            alignas(64) T sacc[V] = {};
            for (int i = 0; i < h; ++i) {
                T* __restrict lo = DGQ_ROW(pb + size_t(i) * V);
                const T* __restrict hi = DGQ_ROW(pb + size_t(i + h) * V);
#pragma omp simd
                for (int v = 0; v < V; ++v) {
                    sacc[v] += lo[v] - hi[v];
                    lo[v] += hi[v];
                }
            }
            for (int v = 0; v < V; ++v) kd[q * V + v] = sacc[v];
        }
    }
}

// Loads rows [row0, row0 + rows) of a [B][n] array into wk-layout a[q * V + v]
// (missing lanes: 0).
template <class T>
inline void load_group(const T* src, int n, int row0, int rows, T* dst) {
    constexpr int V = kLanes<T>;
    for (int q = 0; q < n; ++q)
        for (int v = 0; v < V; ++v) dst[q * V + v] = v < rows ? src[size_t(row0 + v) * n + q] : T(0);
}

template <class T, bool Cx>
void lanes_forward_group(const Plan<T>& p, int kind, const T* x, T* z, int row0, int rows, LaneWork<T>& wk) {
    constexpr int V = kLanes<T>;
    const int n = p.n;
    load_group(x, n, row0, rows, wk.x);
    lanes_forward_state<T, Cx>(p, kind, wk);
    alignas(64) T zl[DGQ_CPU_MAX_QUBITS * V];
    lanes_readout<T, Cx>(p, wk.pr, wk.pi, wk.tr, zl);
    for (int v = 0; v < rows; ++v)
        for (int q = 0; q < n; ++q) z[size_t(row0 + v) * n + q] = zl[q * V + v];
}

template <class T, bool Cx>
void lanes_adjoint_group(const Plan<T>& p, int kind, const T* x, const T* g, T* dx, double* dw_acc, int row0,
                         int rows, LaneWork<T>& wk, int tba, T* snap) {
    constexpr int V = kLanes<T>;
    const int n = p.n, N = p.N, k = p.k;
    const size_t NV = size_t(N) * V;
    load_group(x, n, row0, rows, wk.x);
    load_group(g, n, row0, rows, wk.g);
    if (snap)
        lanes_forward_snap<T, Cx>(p, kind, wk, snap);
    else
        lanes_forward_state<T, Cx>(p, kind, wk);
    const T* psr = snap ? snap + size_t(2 * p.L) * NV : wk.pr;  // final state
    const T* psi = snap ? snap + size_t(2 * p.L + 1) * NV : wk.pi;
    // lambda = (sum_q g_q Z_q) psi; the diagonal is built by doubling.
    T* obs = wk.obs;
    for (int v = 0; v < V; ++v) {
        T gs = 0;
        for (int q = 0; q < n; ++q) gs += wk.g[q * V + v];
        obs[v] = gs;
    }
    for (int q = 0; q < n; ++q) {
        const int h = 1 << q;
        const T* gq = wk.g + q * V;
        for (int i = 0; i < h; ++i) {
            const T* __restrict o0 = DGQ_ROW(obs + size_t(i) * V);
            T* __restrict o1 = DGQ_ROW(obs + size_t(i + h) * V);
#pragma omp simd
            for (int v = 0; v < V; ++v) o1[v] = o0[v] - 2 * gq[v];
        }
    }
    {
        const T* __restrict o = DGQ_ROW(obs);
        const T* __restrict ps = DGQ_ROW(psr);
        T* __restrict ls = DGQ_ROW(wk.lr);
#pragma omp simd
        for (size_t i = 0; i < NV; ++i) ls[i] = o[i] * ps[i];
        if constexpr (Cx) {
            const T* __restrict ps2 = DGQ_ROW(psi);
            T* __restrict ls2 = DGQ_ROW(wk.li);
#pragma omp simd
            for (size_t i = 0; i < NV; ++i) ls2[i] = o[i] * ps2[i];
        }
    }
    alignas(64) T kv[8 * V];
    alignas(64) T dxl[DGQ_CPU_MAX_QUBITS * V];
    if (snap) {  // psi from the snapshots; only lambda is moved back
        dgq::Mat2<T> ud[DGQ_CPU_MAX_QUBITS];
        alignas(64) T kd[DGQ_CPU_MAX_QUBITS * V], ks[DGQ_CPU_MAX_QUBITS * V], kr[DGQ_CPU_MAX_QUBITS * V];
        for (int l = p.L - 1; l >= 0; --l) {
            const T* br = snap + size_t(2 * l) * NV;
            const T* bi = snap + size_t(2 * l + 1) * NV;
            if (l > 0)
                for (int q = 0; q < n; ++q) ud[q] = dgq::dagger(p.mats[size_t(l) * n + q]);
            // tba >= 0: the un-apply of layer l's blocks on lambda is blocked too (after the overlaps)
            snap_overlaps<T, Cx>(p, kind, wk, br, bi, tba, kd, ks, kr, l > 0 && tba >= 0 ? ud : nullptr);
            for (int q = 0; q < n; ++q) {
                const dgq::Mat2<T>* xm = &p.xmats[(size_t(l) * n + q) * (k + 1)];
                double* acc = dw_acc + (size_t(l) * n + q) * k;
                const T* d = kd + q * V;
                const T* sq = ks + q * V;
                const T* rq = kr + q * V;
                for (int v = 0; v < rows; ++v) {
                    int g0 = 0;
                    auto grad = [&](const dgq::Mat2<T>& X) { return X.m00.re * d[v] + X.m01.re * sq[v] + X.m01.im * rq[v]; };
                    if (l == 0) dxl[q * V + v] = grad(xm[g0++]);
                    for (int r = 0; r < k; ++r) acc[r] += grad(xm[g0 + r]);
                }
            }
            if (l > 0 && tba < 0) layer_kind<T, Cx>(kind, wk.lr, wk.li, N, n, ud);
        }
        for (int v = 0; v < rows; ++v)
            for (int q = 0; q < n; ++q) dx[size_t(row0 + v) * n + q] = dxl[q * V + v];
        return;
    }
    if (tba >= 0) {
        alignas(64) T kall[DGQ_CPU_MAX_QUBITS * 8 * V];
        for (int l = p.L - 1; l >= 0; --l) {
            auto layer = [&]<int Kd, bool Un>() { adjoint_layer_blocked<T, Kd, Cx, Un>(p, kind, wk, l, tba, kall); };
            if (l > 0) {
                if (!Cx || kind == kReal)
                    layer.template operator()<kReal, true>();
                else if (kind == kDiag)
                    layer.template operator()<kDiag, true>();
                else
                    layer.template operator()<kGeneral, true>();
            } else {
                layer.template operator()<kReal, false>();  // no un-apply: the kind is irrelevant
            }
            for (int q = 0; q < n; ++q) {
                const T* kq = kall + size_t(q) * 8 * V;
                const dgq::Mat2<T>* xm = &p.xmats[(size_t(l) * n + q) * (k + 1)];
                double* acc = dw_acc + (size_t(l) * n + q) * k;
                for (int v = 0; v < rows; ++v) {
                    const dgq::Mat2<T> K{{kq[0 * V + v], kq[1 * V + v]},
                                         {kq[2 * V + v], kq[3 * V + v]},
                                         {kq[4 * V + v], kq[5 * V + v]},
                                         {kq[6 * V + v], kq[7 * V + v]}};
                    int g0 = 0;
                    if (l == 0) dxl[q * V + v] = dgq::grad_from_x(xm[g0++], K);
                    for (int r = 0; r < k; ++r) acc[r] += dgq::grad_from_x(xm[g0 + r], K);
                }
            }
        }
        for (int v = 0; v < rows; ++v)
            for (int q = 0; q < n; ++q) dx[size_t(row0 + v) * n + q] = dxl[q * V + v];
        return;
    }
    for (int l = p.L - 1; l >= 0; --l) {
        if (p.ent) {  // undo the entangler on both states
            const unsigned* idx = p.gat_bwd.data();
            gather_rows(wk.pr, wk.tr, idx, N);
            std::swap(wk.pr, wk.tr);
            gather_rows(wk.lr, wk.tr, idx, N);
            std::swap(wk.lr, wk.tr);
            if constexpr (Cx) {
                gather_rows(wk.pi, wk.ti, idx, N);
                std::swap(wk.pi, wk.ti);
                gather_rows(wk.li, wk.ti, idx, N);
                std::swap(wk.li, wk.ti);
            }
        }
        for (int q = n - 1; q >= 0; --q) {
            // blocks of one layer on different qubits commute: each may be
            // taken as the last one applied; layer 0 needs no un-apply
            if (l > 0)
                overlap_dispatch<T, Cx, true>(kind, wk, N, q, dgq::dagger(p.mats[size_t(l) * n + q]), kv);
            else
                overlap_dispatch<T, Cx, false>(kind, wk, N, q, dgq::Mat2<T>{}, kv);
            const dgq::Mat2<T>* xm = &p.xmats[(size_t(l) * n + q) * (k + 1)];
            double* acc = dw_acc + (size_t(l) * n + q) * k;
            for (int v = 0; v < rows; ++v) {
                const dgq::Mat2<T> K{{kv[0 * V + v], kv[1 * V + v]},
                                     {kv[2 * V + v], kv[3 * V + v]},
                                     {kv[4 * V + v], kv[5 * V + v]},
                                     {kv[6 * V + v], kv[7 * V + v]}};
                int g0 = 0;
                if (l == 0) dxl[q * V + v] = dgq::grad_from_x(xm[g0++], K);
                for (int r = 0; r < k; ++r) acc[r] += dgq::grad_from_x(xm[g0 + r], K);
            }
        }
    }
    for (int v = 0; v < rows; ++v)
        for (int q = 0; q < n; ++q) dx[size_t(row0 + v) * n + q] = dxl[q * V + v];
}

// ---- Parameter shift on lanes ----
// Each shifted circuit is a forward pass of the whole group with one angle
// moved by +-pi/2 (the same parameter for every lane). It starts from the
// group's snapshot after the shifted block's layer (lanes_forward_snap):
// blocks of one layer commute, so shifting block (l, q) there is one gate
// U_shifted U^dagger on qubit q; a shift in layer 0 (encoding or layer-0
// rotation, per lane) rebuilds the product state. Then the later layers,
// the readout, and f = sum_q g_q z_q per lane.
template <class T, bool Cx>
void shift_param(const Plan<T>& p, int kind, const T* w, const T* snap, const T* xg, const T* gg, int par,
                 LaneWork<T>& wk, T* dout) {
    constexpr int V = kLanes<T>;
    const int n = p.n, N = p.N, k = p.k;
    const size_t NV = size_t(N) * V;
    const int l = par < n ? 0 : (par - n) / k / n;
    const int q = par < n ? par : (par - n) / k % n;
    const T half_pi = T(1.57079632679489661923);
    alignas(64) T f[2][V];
    alignas(64) T zl[DGQ_CPU_MAX_QUBITS * V];
    T ang[DGQ_MAX_ROT + 1];
    T xs[DGQ_CPU_MAX_QUBITS];
    for (int s = 0; s < 2; ++s) {
        const T sd = s == 0 ? half_pi : -half_pi;
        if (l == 0) {
            dgq::Mat2<T> us[V];
            for (int v = 0; v < V; ++v) {
                for (int qq = 0; qq < n; ++qq) xs[qq] = xg[qq * V + v];
                dgq::block_angles<T>(p.c, 0, q, xs, w, par, sd, ang);
                us[v] = dgq::block_matrix(p.desc0, ang);
            }
            lanes_product<T, Cx>(p, xg, wk.pr, wk.pi, q, us);
        } else {
            std::memcpy(wk.pr, snap + size_t(2 * l) * NV, NV * sizeof(T));
            if constexpr (Cx) std::memcpy(wk.pi, snap + size_t(2 * l + 1) * NV, NV * sizeof(T));
            for (int qq = 0; qq < n; ++qq) xs[qq] = 0;
            dgq::block_angles<T>(p.c, l, q, xs, w, par, sd, ang);
            const dgq::Mat2<T> d =
                dgq::matmul(dgq::block_matrix(p.desc, ang), dgq::dagger(p.mats[size_t(l) * n + q]));
            if constexpr (!Cx)
                gate_lanes<T, kReal, false>(wk.pr, wk.pi, N, q, d);
            else if (kind == kReal)
                gate_lanes<T, kReal, true>(wk.pr, wk.pi, N, q, d);
            else if (kind == kDiag)
                gate_lanes<T, kDiag, true>(wk.pr, wk.pi, N, q, d);
            else
                gate_lanes<T, kGeneral, true>(wk.pr, wk.pi, N, q, d);
        }
        for (int ll = l; ll < p.L; ++ll) {
            if (ll > l) layer_kind<T, Cx>(kind, wk.pr, wk.pi, N, n, &p.mats[size_t(ll) * n]);
            if (p.ent) {
                gather_rows(wk.pr, wk.tr, p.gat_fwd.data(), N);
                std::swap(wk.pr, wk.tr);
                if constexpr (Cx) {
                    gather_rows(wk.pi, wk.ti, p.gat_fwd.data(), N);
                    std::swap(wk.pi, wk.ti);
                }
            }
        }
        lanes_readout<T, Cx>(p, wk.pr, wk.pi, wk.tr, zl);
        for (int v = 0; v < V; ++v) {
            T acc = 0;
            for (int qq = 0; qq < n; ++qq) acc += gg[qq * V + v] * zl[qq * V + v];
            f[s][v] = acc;
        }
    }
    for (int v = 0; v < V; ++v) dout[v] = (f[0][v] - f[1][v]) / 2;
}

// Parameter shift of the batch: group by group, the group's snapshots once
// (one thread), then its 2P shifted circuits spread over the threads by
// parameter; each derivative is computed whole by one thread and summed into
// the weight gradient in a fixed order (parameter, then lane, then group), so
// the bits do not depend on the thread count.
template <class T>
void lanes_shift(const Plan<T>& p, int batch, const T* x, const T* w, const T* g, T* dx, T* dw) {
    constexpr int V = kLanes<T>;
    const int n = p.n, ngroups = (batch + V - 1) / V;
    const int kind = block_kind(p.c);
    const bool cx = !real_state(p.c);
    const int P = dgq::num_params(p.c);
    const size_t Pw = size_t(p.L) * n * p.k;
    const size_t NV = size_t(p.N) * V;
    AlignedBuf<T> snap(size_t(p.L + 1) * 2 * NV);
    AlignedBuf<T> xg(size_t(n) * V), gg(size_t(n) * V), dpar(size_t(P) * V);
    std::vector<double> acc(Pw, 0.0);
    auto group_start = [&](int gi, LaneWork<T>& wk) {
        const int row0 = gi * V, rows = std::min(V, batch - row0);
        load_group(x, n, row0, rows, xg.p);
        load_group(g, n, row0, rows, gg.p);
        std::memcpy(wk.x, xg.p, size_t(n) * V * sizeof(T));
        if (cx)
            lanes_forward_snap<T, true>(p, kind, wk, snap.p);
        else
            lanes_forward_snap<T, false>(p, kind, wk, snap.p);
    };
    auto one = [&](int par, LaneWork<T>& wk) {
        if (cx)
            shift_param<T, true>(p, kind, w, snap.p, xg.p, gg.p, par, wk, dpar.p + size_t(par) * V);
        else
            shift_param<T, false>(p, kind, w, snap.p, xg.p, gg.p, par, wk, dpar.p + size_t(par) * V);
    };
    auto group_end = [&](int gi) {
        const int row0 = gi * V, rows = std::min(V, batch - row0);
        for (int v = 0; v < rows; ++v)
            for (int q = 0; q < n; ++q) dx[size_t(row0 + v) * n + q] = dpar.p[size_t(q) * V + v];
        for (size_t i = 0; i < Pw; ++i) {
            double s = 0;  // lanes of this group first, then added to the batch sum (as the adjoint's partials)
            for (int v = 0; v < rows; ++v) s += dpar.p[(size_t(n) + i) * V + v];
            acc[i] += s;
        }
    };
    const int factor = 2 * P;
    bool par_ok = use_parallel<T>(batch, n, p.L, factor) || (P >= 4 && use_parallel<T>(2, n, p.L, factor));
#ifdef _OPENMP
    if (par_ok) {
        const int threads = dgq_cpu_detail::threads() > 0 ? dgq_cpu_detail::threads() : omp_get_max_threads();
        std::atomic<bool> failed{false};
#pragma omp parallel num_threads(threads)
        {
            LaneWork<T>* wk = nullptr;
            try {
                wk = &lane_work<T>(p.N, n);
            } catch (const std::bad_alloc&) {
                failed = true;
            }
            for (int gi = 0; gi < ngroups; ++gi) {
#pragma omp single
                {
                    if (wk && !failed.load()) group_start(gi, *wk);
                    else failed = true;
                }
#pragma omp for schedule(dynamic, 1)
                for (int par = 0; par < P; ++par)
                    if (wk && !failed.load(std::memory_order_relaxed)) one(par, *wk);
#pragma omp single
                group_end(gi);
            }
        }
        if (failed) throw std::bad_alloc();
    } else
#endif
    {
        (void)par_ok;
        LaneWork<T>& wk = lane_work<T>(p.N, n);
        for (int gi = 0; gi < ngroups; ++gi) {
            group_start(gi, wk);
            for (int par = 0; par < P; ++par) one(par, wk);
            group_end(gi);
        }
    }
    for (size_t i = 0; i < Pw; ++i) dw[i] = T(acc[i]);
}

// Runs body(group, workspace) over all groups, in parallel where worthwhile;
// one workspace per thread. A failed allocation is rethrown as std::bad_alloc.
template <class T, class F>
void for_groups(int ngroups, bool par, int N, int n, F&& body) {
#ifdef _OPENMP
    if (par) {
        const int threads = dgq_cpu_detail::threads() > 0 ? dgq_cpu_detail::threads() : omp_get_max_threads();
        std::atomic<bool> failed{false};
#pragma omp parallel num_threads(threads)
        {
            LaneWork<T>* wk = nullptr;
            try {
                wk = &lane_work<T>(N, n);
            } catch (const std::bad_alloc&) {
                failed = true;
            }
#pragma omp for schedule(dynamic, 1)
            for (int gi = 0; gi < ngroups; ++gi) {
                if (!wk || failed.load(std::memory_order_relaxed)) continue;
                body(gi, *wk);
            }
        }
        if (failed) throw std::bad_alloc();
        return;
    }
#else
    (void)par;
#endif
    LaneWork<T>& wk = lane_work<T>(N, n);
    for (int gi = 0; gi < ngroups; ++gi) body(gi, wk);
}

template <class T>
void lanes_forward(const Plan<T>& p, int batch, const T* x, T* z) {
    constexpr int V = kLanes<T>;
    const int ngroups = (batch + V - 1) / V;
    const int kind = block_kind(p.c);
    const bool cx = !real_state(p.c);
    for_groups<T>(ngroups, use_parallel<T>(batch, p.n, p.L, 1), p.N, p.n, [&](int gi, LaneWork<T>& wk) {
        const int row0 = gi * V, rows = std::min(V, batch - row0);
        if (cx)
            lanes_forward_group<T, true>(p, kind, x, z, row0, rows, wk);
        else
            lanes_forward_group<T, false>(p, kind, x, z, row0, rows, wk);
    });
}

template <class T>
void lanes_adjoint(const Plan<T>& p, int batch, const T* x, const T* g, T* dx, T* dw) {
    constexpr int V = kLanes<T>;
    const int ngroups = (batch + V - 1) / V;
    const int kind = block_kind(p.c);
    const bool cx = !real_state(p.c);
    const size_t Pw = size_t(p.L) * p.n * p.k;
    std::vector<double> partial(size_t(ngroups) * Pw, 0.0);
    const int tba = block_tile_bits(cx ? 4 : 2);
    const size_t snap_count = size_t(p.L + 1) * 2 * size_t(p.N) * V;
    const bool use_snap = adjoint_snapshots(snap_count * sizeof(T));
    for_groups<T>(ngroups, use_parallel<T>(batch, p.n, p.L, 4), p.N, p.n, [&](int gi, LaneWork<T>& wk) {
        const int row0 = gi * V, rows = std::min(V, batch - row0);
        double* acc = partial.data() + size_t(gi) * Pw;
        T* snap = use_snap ? snap_work<T>(snap_count) : nullptr;
        if (cx)
            lanes_adjoint_group<T, true>(p, kind, x, g, dx, acc, row0, rows, wk, tba, snap);
        else
            lanes_adjoint_group<T, false>(p, kind, x, g, dx, acc, row0, rows, wk, tba, snap);
    });
    for (size_t i = 0; i < Pw; ++i) {
        double s = 0;
        for (int gi = 0; gi < ngroups; ++gi) s += partial[size_t(gi) * Pw + i];
        dw[i] = T(s);
    }
}

#undef DGQ_ROW

// Parameter shift on lanes keeps a group's L + 1 snapshots (shared by the
// threads); above 256 MiB of them (n = 18 with L > 7) the per-sample code
// serves. DGQ_CPU_SHIFT=sample sends parameter shift to the per-sample code
// (side-by-side benchmarks and tests); read at every call.
template <class T>
inline bool lanes_method_enabled(int method, const Plan<T>& p) {
    if (method == DGQ_ADJOINT) return true;
    const char* e = std::getenv("DGQ_CPU_SHIFT");
    if (e && std::strcmp(e, "sample") == 0) return false;
    return size_t(p.L + 1) * 2 * size_t(p.N) * 64 <= (size_t(256) << 20);
}

template <class T>
int check_common(const dgq_circuit* c, int batch, const void* x, const void* w) {
    if (const char* m = dgq::validate_circuit(c, DGQ_CPU_MAX_QUBITS))
        return fail(c && c->n_qubits > DGQ_CPU_MAX_QUBITS ? DGQ_ERR_UNSUPPORTED : DGQ_ERR_INVALID,
                    std::string("invalid circuit: ") + m);
    if (batch < 0) return fail(DGQ_ERR_INVALID, "batch must be >= 0");
    if (batch > 0 && !x) return fail(DGQ_ERR_INVALID, "inputs is null");
    if (!w) return fail(DGQ_ERR_INVALID, "weights is null");
    return DGQ_OK;
}

template <class T>
int forward_impl(const dgq_circuit* c, int batch, const T* x, const T* w, T* z) {
    if (int rc = check_common<T>(c, batch, x, w)) return rc;
    if (batch > 0 && !z) return fail(DGQ_ERR_INVALID, "out is null");
    try {
        const Plan<T> p(*c, w);
        const int n = p.n;
        if (n <= lanes_max()) {
            if (batch > 0) lanes_forward(p, batch, x, z);
            return DGQ_OK;
        }
        const int chunk = chunk_size(n, false);
        const int nchunks = (batch + chunk - 1) / chunk;
        for_chunks(nchunks, use_parallel<T>(batch, n, p.L, 1), [&](int ci) {
            Work<T> wk(p.N);
            const int s1 = std::min(batch, (ci + 1) * chunk);
            for (int s = ci * chunk; s < s1; ++s) {
                forward_state(p, x + size_t(s) * n, w, -1, T(0), wk);
                readout(p, wk.pr, wk.pi, wk.tr, z + size_t(s) * n);
            }
        });
    } catch (const std::bad_alloc&) {
        return fail(DGQ_ERR_NOMEM, "out of memory");
    }
    return DGQ_OK;
}

template <class T>
int backward_impl(const dgq_circuit* c, int batch, const T* x, const T* w, const T* g, T* dx, T* dw, int method) {
    if (int rc = check_common<T>(c, batch, x, w)) return rc;
    if (batch > 0 && (!g || !dx)) return fail(DGQ_ERR_INVALID, "upstream or input_grad is null");
    if (!dw) return fail(DGQ_ERR_INVALID, "weight_grad is null");
    if (method != DGQ_ADJOINT && method != DGQ_PARAMETER_SHIFT)
        return fail(DGQ_ERR_INVALID, "method must be DGQ_ADJOINT or DGQ_PARAMETER_SHIFT");
    try {
        const Plan<T> p(*c, w);
        const int n = p.n;
        if (n <= lanes_max() && lanes_method_enabled(method, p)) {
            if (method == DGQ_ADJOINT)
                lanes_adjoint(p, batch, x, g, dx, dw);
            else
                lanes_shift(p, batch, x, w, g, dx, dw);
            return DGQ_OK;
        }
        const size_t Pw = size_t(p.L) * n * p.k;
        const int chunk = chunk_size(n, method == DGQ_PARAMETER_SHIFT);
        const int nchunks = (batch + chunk - 1) / chunk;
        std::vector<double> partial(size_t(nchunks) * Pw, 0.0);
        const int factor = method == DGQ_ADJOINT ? 4 : 2 * dgq::num_params(p.c);
        for_chunks(nchunks, use_parallel<T>(batch, n, p.L, factor), [&](int ci) {
            Work<T> wk(p.N);
            double* acc = partial.data() + size_t(ci) * Pw;
            const int s1 = std::min(batch, (ci + 1) * chunk);
            for (int s = ci * chunk; s < s1; ++s) {
                const size_t o = size_t(s) * n;
                if (method == DGQ_ADJOINT)
                    adjoint_sample(p, x + o, w, g + o, dx + o, acc, wk);
                else
                    shift_sample(p, x + o, w, g + o, dx + o, acc, wk);
            }
        });
        for (size_t i = 0; i < Pw; ++i) {
            double s = 0;
            for (int ci = 0; ci < nchunks; ++ci) s += partial[size_t(ci) * Pw + i];
            dw[i] = T(s);
        }
    } catch (const std::bad_alloc&) {
        return fail(DGQ_ERR_NOMEM, "out of memory");
    }
    return DGQ_OK;
}

}  // namespace

namespace dgq_cpu_detail::DGQ_ISA_NS {

int forward_f32(const dgq_circuit* c, int batch, const float* x, const float* w, float* z) {
    return forward_impl<float>(c, batch, x, w, z);
}
int forward_f64(const dgq_circuit* c, int batch, const double* x, const double* w, double* z) {
    return forward_impl<double>(c, batch, x, w, z);
}
int backward_f32(const dgq_circuit* c, int batch, const float* x, const float* w, const float* g, float* dx,
                 float* dw, int method) {
    return backward_impl<float>(c, batch, x, w, g, dx, dw, method);
}
int backward_f64(const dgq_circuit* c, int batch, const double* x, const double* w, const double* g, double* dx,
                 double* dw, int method) {
    return backward_impl<double>(c, batch, x, w, g, dx, dw, method);
}

}  // namespace dgq_cpu_detail::DGQ_ISA_NS
