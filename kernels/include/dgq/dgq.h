/*
 * dgq.h - C ABI of the dgquantum native kernels.
 *
 * Two libraries implement it:
 *   libdgq_cpu.so  : dgq_cpu_*  (host pointers, OpenMP over the batch)
 *   libdgq_cuda.so : dgq_cuda_* (device pointers; built only where nvcc exists)
 * libdgq_cuda_emu.so (test-only, never shipped) is the same dgq_cuda_* ABI with
 * the CUDA kernels emulated on the CPU; its "device pointers" are host pointers.
 * The raw CUDA kernels in dgq_kernels.fatbin (for a driver-API binding such as
 * JCuda) are documented in docs/kernels.md.
 *
 * Circuit convention: see "The circuit" in docs/architecture.md. Layouts (row-major, contiguous):
 *   inputs   x  [B][n]         encoding angles
 *   weights  w  [L][n][k]      k = n_rot rotation angles per qubit and layer
 *   out      z  [B][n]         z_q = <Z_q>
 *   upstream g  [B][n]         dLoss/dz
 *   inputGrad  dx [B][n]       overwritten
 *   weightGrad dw [L][n][k]    summed over the batch, overwritten (not accumulated)
 *
 * Every function returns DGQ_OK (0) or an error code; dgq_cpu_last_error() /
 * dgq_cuda_last_error() then hold a human-readable message (thread-local,
 * valid until the next failing call on the same thread). One per library so
 * that both can live in one process. Calls from different threads may run
 * concurrently (dgq_cpu_set_threads is per calling thread; the dgq_cuda_
 * block-shape and fallback settings are process-wide, meant for tests).
 */
#ifndef DGQ_DGQ_H
#define DGQ_DGQ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DGQ_ABI_VERSION 2 /* 2: dgq_cuda_pi_tanh* added */

/* exported symbols (the libraries are built with hidden visibility otherwise) */
#if defined(__GNUC__)
#define DGQ_API __attribute__((visibility("default")))
#else
#define DGQ_API
#endif

/* gate codes */
#define DGQ_RX 0
#define DGQ_RY 1
#define DGQ_RZ 2

/* entangler codes */
#define DGQ_ENT_RING 0
#define DGQ_ENT_LINEAR 1
#define DGQ_ENT_NONE 2

/* gradient methods */
#define DGQ_ADJOINT 0
#define DGQ_PARAMETER_SHIFT 1

/* return codes */
#define DGQ_OK 0
#define DGQ_ERR_INVALID 1     /* bad argument (null pointer, bad code, bad size) */
#define DGQ_ERR_UNSUPPORTED 2 /* valid but not supported here (e.g. n too large) */
#define DGQ_ERR_NOMEM 3       /* host or device allocation failed */
#define DGQ_ERR_CUDA 4        /* CUDA runtime error (message has the CUDA text) */

#define DGQ_MAX_ROT 8          /* rotations per qubit and layer */
#define DGQ_CPU_MAX_QUBITS 24
#define DGQ_CUDA_MAX_QUBITS 20 /* on chip up to n = 11..14 by GPU, precision and method
                                  (docs/kernels.md), above that a global-memory fallback */

/* Plain-old-data circuit description: 13 int32, 52 bytes, 4-byte aligned. */
typedef struct dgq_circuit {
    int32_t n_qubits;  /* n >= 1 */
    int32_t n_layers;  /* L >= 1 */
    int32_t encoding;  /* DGQ_RX or DGQ_RY */
    int32_t entangler; /* DGQ_ENT_* */
    int32_t n_rot;     /* k, 1..DGQ_MAX_ROT */
    int32_t rot[DGQ_MAX_ROT]; /* rot[0..k-1]: gate codes, applied in this order */
} dgq_circuit;

/* ---- native CPU library (libdgq_cpu.so) ---- */

/* Message of the last failed dgq_cpu_* call on this thread ("" if none). */
DGQ_API const char* dgq_cpu_last_error(void);
DGQ_API int dgq_cpu_abi_version(void); /* DGQ_ABI_VERSION */

/* Threads used by later calls of this thread: 0 = OpenMP default. Small batches
 * always run on the calling thread (starting a team costs microseconds). */
DGQ_API int dgq_cpu_set_threads(int threads);

/* Instruction set of the build that serves the calls: "avx2" (AVX2 + FMA,
 * chosen at run time where the CPU has them), "base" (x86-64 baseline) or
 * "avx512" (AVX-512 F/DQ/VL; for now only when forced). The environment
 * variable DGQ_CPU_ISA=base|avx2|avx512 forces a build the CPU has. */
DGQ_API const char* dgq_cpu_isa(void);

DGQ_API int dgq_cpu_forward_f32(const dgq_circuit* c, int batch, const float* inputs,
                        const float* weights, float* out);
DGQ_API int dgq_cpu_forward_f64(const dgq_circuit* c, int batch, const double* inputs,
                        const double* weights, double* out);
DGQ_API int dgq_cpu_backward_f32(const dgq_circuit* c, int batch, const float* inputs,
                         const float* weights, const float* upstream, float* input_grad,
                         float* weight_grad, int method);
DGQ_API int dgq_cpu_backward_f64(const dgq_circuit* c, int batch, const double* inputs,
                         const double* weights, const double* upstream, double* input_grad,
                         double* weight_grad, int method);

/* ---- CUDA library (libdgq_cuda.so); all array pointers are DEVICE pointers ----
 * stream is a cudaStream_t (NULL = default stream). The circuit calls allocate
 * and free a small device workspace and synchronise the stream before
 * returning; the elementwise pi_tanh calls (below) do not synchronise. */

DGQ_API const char* dgq_cuda_last_error(void);
DGQ_API int dgq_cuda_abi_version(void);

/* Block shape for later calls (process-wide): threads per sample (32, 64, 128,
 * 256) and samples per block (>= 1); 0, 0 = automatic. */
DGQ_API int dgq_cuda_set_block_shape(int threads_per_sample, int samples_per_block);
/* Force the global-memory state fallback even where the state fits on chip (tests). */
DGQ_API int dgq_cuda_force_global_state(int on);

DGQ_API int dgq_cuda_forward_f32(const dgq_circuit* c, int batch, const float* inputs,
                         const float* weights, float* out, void* stream);
DGQ_API int dgq_cuda_forward_f64(const dgq_circuit* c, int batch, const double* inputs,
                         const double* weights, double* out, void* stream);
DGQ_API int dgq_cuda_backward_f32(const dgq_circuit* c, int batch, const float* inputs,
                          const float* weights, const float* upstream, float* input_grad,
                          float* weight_grad, int method, void* stream);
DGQ_API int dgq_cuda_backward_f64(const dgq_circuit* c, int batch, const double* inputs,
                          const double* weights, const double* upstream, double* input_grad,
                          double* weight_grad, int method, void* stream);

/* ---- elementwise steps of the quantum layer h' = h + alpha * z(theta) * Wr,
 * theta = pi * tanh(h * Wq) (the GEMMs are the caller's, e.g. cuBLAS) ----
 * Unlike the calls above these are ASYNCHRONOUS: they enqueue one kernel on
 * `stream` and return without synchronising (a launch error is reported; a
 * fault while the kernel runs shows up at the caller's next synchronisation).
 * Device pointers; in place is allowed (theta == pre, da == dtheta).
 * count == 0: DGQ_OK, nothing launched; count < 0, or a null pointer with
 * count > 0: DGQ_ERR_INVALID. */

/* theta[i] = pi * tanh(pre[i]) */
DGQ_API int dgq_cuda_pi_tanh_f32(int64_t count, const float* pre, float* theta, void* stream);
DGQ_API int dgq_cuda_pi_tanh_f64(int64_t count, const double* pre, double* theta, void* stream);
/* da[i] = dtheta[i] * pi * (1 - (theta[i] / pi)^2), the backward of pi_tanh from its output */
DGQ_API int dgq_cuda_pi_tanh_backward_f32(int64_t count, const float* theta, const float* dtheta, float* da,
                                          void* stream);
DGQ_API int dgq_cuda_pi_tanh_backward_f64(int64_t count, const double* theta, const double* dtheta, double* da,
                                          void* stream);

#ifdef __cplusplus
}
#endif
#endif /* DGQ_DGQ_H */
