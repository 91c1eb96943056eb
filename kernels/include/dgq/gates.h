// gates.h - gate math shared by the CUDA kernels, their CPU emulation and the
// native CPU library. Everything is header-only and __host__ __device__.
// Convention: "The circuit" in docs/architecture.md (qubit q = bit q of the basis index).
#pragma once

#include "dgq.h"

#if defined(__CUDACC__) || defined(DGQ_CUDA_EMU)
#define DGQ_HD __host__ __device__ inline
#else
#define DGQ_HD inline
#include <cmath>
#endif

#if !defined(__CUDA_ARCH__)
#include <cmath>
#endif

namespace dgq {

template <class T>
struct cplx {
    T re, im;
};

template <class T>
DGQ_HD cplx<T> cmul(cplx<T> a, cplx<T> b) {
    return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <class T>
DGQ_HD cplx<T> cadd(cplx<T> a, cplx<T> b) {
    return {a.re + b.re, a.im + b.im};
}
template <class T>
DGQ_HD cplx<T> cconj(cplx<T> a) {
    return {a.re, -a.im};
}
// conj(a) * b: the building block of overlaps <a|b>
template <class T>
DGQ_HD cplx<T> cconjmul(cplx<T> a, cplx<T> b) {
    return {a.re * b.re + a.im * b.im, a.re * b.im - a.im * b.re};
}

// 2x2 complex matrix, m[row][col]
template <class T>
struct Mat2 {
    cplx<T> m00, m01, m10, m11;
};

template <class T>
DGQ_HD Mat2<T> identity2() {
    return {{1, 0}, {0, 0}, {0, 0}, {1, 0}};
}
template <class T>
DGQ_HD Mat2<T> matmul(const Mat2<T>& a, const Mat2<T>& b) {
    return {cadd(cmul(a.m00, b.m00), cmul(a.m01, b.m10)), cadd(cmul(a.m00, b.m01), cmul(a.m01, b.m11)),
            cadd(cmul(a.m10, b.m00), cmul(a.m11, b.m10)), cadd(cmul(a.m10, b.m01), cmul(a.m11, b.m11))};
}
template <class T>
DGQ_HD Mat2<T> dagger(const Mat2<T>& a) {
    return {cconj(a.m00), cconj(a.m10), cconj(a.m01), cconj(a.m11)};
}
// (lo, hi) <- M (lo, hi), lo = amplitude with the qubit's bit 0
template <class T>
DGQ_HD void apply2(const Mat2<T>& u, cplx<T>& lo, cplx<T>& hi) {
    cplx<T> a = lo, b = hi;
    lo = cadd(cmul(u.m00, a), cmul(u.m01, b));
    hi = cadd(cmul(u.m10, a), cmul(u.m11, b));
}

template <class T>
DGQ_HD void sincos_half(T t, T& s, T& c) {
#if defined(__CUDA_ARCH__)
    if constexpr (sizeof(T) == 4) {
        sincosf(t * 0.5f, &s, &c);
    } else {
        sincos(t * 0.5, &s, &c);
    }
#else
    s = std::sin(t * T(0.5));
    c = std::cos(t * T(0.5));
#endif
}

// The quantum layer's angle map theta = pi * tanh(a) and its backward
// da = dtheta * dtheta/da = dtheta * pi * (1 - (theta/pi)^2), from theta alone
// (so the backward needs no copy of a). (1 - t)(1 + t) instead of 1 - t^2:
// 1 - t is exact for t near 1, where the cancellation would otherwise lose bits.
template <class T>
DGQ_HD T pi_tanh(T a) {
    const T pi = T(3.14159265358979323846);
#if defined(__CUDA_ARCH__)
    if constexpr (sizeof(T) == 4) {
        return pi * tanhf(a);
    } else {
        return pi * tanh(a);
    }
#else
    return pi * std::tanh(a);
#endif
}
template <class T>
DGQ_HD T pi_tanh_backward(T theta, T dtheta) {
    const T pi = T(3.14159265358979323846);
    const T t = theta / pi;
    return dtheta * pi * ((T(1) - t) * (T(1) + t));
}

// RX(t) = [[c, -i s], [-i s, c]], RY(t) = [[c, -s], [s, c]], RZ(t) = diag(e^{-it/2}, e^{it/2})
template <class T>
DGQ_HD Mat2<T> rotation(int code, T t) {
    T s, c;
    sincos_half(t, s, c);
    if (code == DGQ_RX) return {{c, 0}, {0, -s}, {0, -s}, {c, 0}};
    if (code == DGQ_RY) return {{c, 0}, {-s, 0}, {s, 0}, {c, 0}};
    return {{c, -s}, {0, 0}, {0, 0}, {c, s}};
}

// Generator P of R(t) = exp(-i t P / 2): X, Y or Z.
template <class T>
DGQ_HD Mat2<T> generator(int code) {
    if (code == DGQ_RX) return {{0, 0}, {1, 0}, {1, 0}, {0, 0}};
    if (code == DGQ_RY) return {{0, 0}, {0, -1}, {0, 1}, {0, 0}};
    return {{1, 0}, {0, 0}, {0, 0}, {-1, 0}};
}

// Gate list of the fused single-qubit block of layer l on one qubit:
// layer 0 starts with the encoding gate, then the k rotations.
// Returns the number of gates; codes/angles filled in application order.
// angle index convention (for parameter shift): see param_index().
struct BlockDesc {
    int ngates;
    int codes[DGQ_MAX_ROT + 1];
};

DGQ_HD BlockDesc block_desc(const dgq_circuit& c, int layer) {
    BlockDesc d{};
    int g = 0;
    if (layer == 0) d.codes[g++] = c.encoding;
    for (int k = 0; k < c.n_rot; ++k) d.codes[g++] = c.rot[k];
    d.ngates = g;
    return d;
}

// Parameters of one sample, flattened: [0, n) inputs x_q, then weights w[l][q][k]
// at n + (l*n + q)*k_rot + k. Parameter shift enumerates this order.
DGQ_HD int num_params(const dgq_circuit& c) { return c.n_qubits + c.n_layers * c.n_qubits * c.n_rot; }

// Angles of block (layer, q) in application order, with an optional shift of
// parameter `shift_p` by `shift_d` (shift_p < 0: none).
template <class T>
DGQ_HD void block_angles(const dgq_circuit& c, int layer, int q, const T* x, const T* w, int shift_p,
                         T shift_d, T* ang) {
    int g = 0;
    const int n = c.n_qubits, k = c.n_rot;
    if (layer == 0) ang[g++] = x[q] + (shift_p == q ? shift_d : T(0));
    for (int r = 0; r < k; ++r) {
        const int p = n + (layer * n + q) * k + r;
        ang[g++] = w[(layer * n + q) * k + r] + (shift_p == p ? shift_d : T(0));
    }
}

// Fused matrix U = G_{m-1} ... G_1 G_0 of a block.
template <class T>
DGQ_HD Mat2<T> block_matrix(const BlockDesc& d, const T* ang) {
    Mat2<T> u = rotation<T>(d.codes[0], ang[0]);
    for (int g = 1; g < d.ngates; ++g) u = matmul(rotation<T>(d.codes[g], ang[g]), u);
    return u;
}

// Adjoint gradients of the gates of a block from the overlap matrix
// K_ab = sum over qubit pairs conj(lambda_a) phi_b, taken at the point just
// after the whole block. For gate m: dE/dt_m = Im <lambda_m| P_m |phi_m>
// = Im sum_ab X_ab K_ab with X = V P_m V^dagger, V = G_{last} ... G_{m+1}.
// block_xmats gives the X of every gate (they depend on the angles only, so
// the GPU kernels precompute them); grad_from_x applies one to K.
template <class T>
DGQ_HD void block_xmats(const BlockDesc& d, const T* ang, Mat2<T>* xm) {
    Mat2<T> v = identity2<T>();
    for (int g = d.ngates - 1; g >= 0; --g) {
        xm[g] = matmul(matmul(v, generator<T>(d.codes[g])), dagger(v));
        v = matmul(v, rotation<T>(d.codes[g], ang[g]));
    }
}
template <class T>
DGQ_HD T grad_from_x(const Mat2<T>& x, const Mat2<T>& K) {
    // Im(sum_ab X_ab K_ab)
    return x.m00.re * K.m00.im + x.m00.im * K.m00.re + x.m01.re * K.m01.im + x.m01.im * K.m01.re +
           x.m10.re * K.m10.im + x.m10.im * K.m10.re + x.m11.re * K.m11.im + x.m11.im * K.m11.re;
}
template <class T>
DGQ_HD void block_grads(const BlockDesc& d, const T* ang, const Mat2<T>& K, T* grad) {
    Mat2<T> xm[DGQ_MAX_ROT + 1];
    block_xmats(d, ang, xm);
    for (int g = 0; g < d.ngates; ++g) grad[g] = grad_from_x(xm[g], K);
}

// ---- entanglers ----
// Number of CNOTs per layer and the i-th (control, target), in application order.
DGQ_HD int num_cnots(int ent, int n) {
    if (ent == DGQ_ENT_RING) return n == 1 ? 0 : (n == 2 ? 1 : n);
    if (ent == DGQ_ENT_LINEAR) return n - 1;
    return 0;
}
DGQ_HD void cnot_at(int n, int i, int& ctrl, int& tgt) {
    ctrl = i;
    tgt = (i + 1) % n;
}

// Basis relabelling instead of data movement (used by the CUDA kernels):
// logical amplitude j is stored at physical index A j (A linear over GF(2)).
// col[q] = A e_q (partner mask of qubit q), row[q] = row q of A^{-1}
// (logical bit q of physical i = parity(row[q] & i)). A CNOT(c -> t) applied
// to the state right-multiplies A by the CNOT: col[c] ^= col[t], row[t] ^= row[c].
DGQ_HD void relabel_cnot(unsigned* col, unsigned* row, int ctrl, int tgt) {
    col[ctrl] ^= col[tgt];
    row[tgt] ^= row[ctrl];
}
DGQ_HD void relabel_layer(const dgq_circuit& c, unsigned* col, unsigned* row) {
    const int nc = num_cnots(c.entangler, c.n_qubits);
    for (int i = 0; i < nc; ++i) {
        int ct, tg;
        cnot_at(c.n_qubits, i, ct, tg);
        relabel_cnot(col, row, ct, tg);
    }
}

// Index map of one entangler layer (used by the CPU library, which moves data):
// after the layer, new[ent_forward(j)] = old[j].
DGQ_HD unsigned ent_forward(const dgq_circuit& c, unsigned j) {
    const int nc = num_cnots(c.entangler, c.n_qubits);
    for (int i = 0; i < nc; ++i) {
        int ct, tg;
        cnot_at(c.n_qubits, i, ct, tg);
        j ^= ((j >> ct) & 1u) << tg;
    }
    return j;
}
DGQ_HD unsigned ent_inverse(const dgq_circuit& c, unsigned j) {
    const int nc = num_cnots(c.entangler, c.n_qubits);
    for (int i = nc - 1; i >= 0; --i) {
        int ct, tg;
        cnot_at(c.n_qubits, i, ct, tg);
        j ^= ((j >> ct) & 1u) << tg;
    }
    return j;
}

DGQ_HD int parity(unsigned v) {
#if defined(__CUDA_ARCH__)
    return __popc(v) & 1;
#else
    return __builtin_parity(v);
#endif
}

// Insert a 0 bit at position p of k (enumerates indices whose bit p is 0).
DGQ_HD unsigned insert_zero(unsigned k, int p) {
    const unsigned low = k & ((1u << p) - 1u);
    return ((k >> p) << (p + 1)) | low;
}
DGQ_HD int lowest_bit(unsigned v) {
#if defined(__CUDA_ARCH__)
    return __ffs(v) - 1;
#else
    return __builtin_ctz(v);
#endif
}

// Host-side validation shared by both libraries. Returns nullptr or a message.
inline const char* validate_circuit(const dgq_circuit* c, int max_qubits) {
    if (!c) return "circuit is null";
    if (c->n_qubits < 1) return "n_qubits must be >= 1";
    if (c->n_qubits > max_qubits) return "n_qubits too large for this backend";
    if (c->n_layers < 1) return "n_layers must be >= 1";
    if (c->encoding != DGQ_RX && c->encoding != DGQ_RY) return "encoding must be DGQ_RX or DGQ_RY";
    if (c->entangler < DGQ_ENT_RING || c->entangler > DGQ_ENT_NONE) return "entangler must be ring, linear or none";
    if (c->n_rot < 1 || c->n_rot > DGQ_MAX_ROT) return "n_rot must be in 1..DGQ_MAX_ROT";
    for (int k = 0; k < c->n_rot; ++k)
        if (c->rot[k] < DGQ_RX || c->rot[k] > DGQ_RZ) return "rotation codes must be DGQ_RX, DGQ_RY or DGQ_RZ";
    return nullptr;
}

}  // namespace dgq
