// harness_kernels.cu - tiny kernels that test the emulator itself: correct
// ones (barriers, shuffles, atomics, static and dynamic shared memory) and
// deliberately broken ones (missing barrier, early return before a barrier,
// barriers on different lines) that the emulator must catch.
// Only ever compiled through emu/cuda_emu.h (they are not shipped kernels).
#include "cuda_emu.h"
#include "harness_kernels.h"

// Reverses a block-sized array through dynamic shared memory.
__global__ void k_reverse_ok(const float* in, float* out) {
    DGQ_EXTERN_SHARED(float, s);
    const int t = int(threadIdx.x), n = int(blockDim.x);
    s[t] = in[blockIdx.x * n + t];
    __syncthreads();
    out[blockIdx.x * n + t] = s[n - 1 - t];
}

// BROKEN: the barrier between the shared-memory write and read is missing.
__global__ void k_reverse_missing_barrier(const float* in, float* out) {
    DGQ_EXTERN_SHARED(float, s);
    const int t = int(threadIdx.x), n = int(blockDim.x);
    s[t] = in[blockIdx.x * n + t];
    out[blockIdx.x * n + t] = s[n - 1 - t];
}

const int kEarlyReturnBarrierLine = __LINE__ + 6;
// BROKEN: thread 5 leaves before the barrier the others wait at.
__global__ void k_early_return(float* out) {
    DGQ_EXTERN_SHARED(float, s);
    if (threadIdx.x == 5) return;
    s[threadIdx.x] = 1.0f;
    __syncthreads();
    out[threadIdx.x] = s[(threadIdx.x + 1) % blockDim.x];
}

const int kDivergentLineA = __LINE__ + 5;
const int kDivergentLineB = __LINE__ + 6;
// BROKEN: odd and even threads wait at different __syncthreads() calls.
__global__ void k_divergent_barrier(float* out) {
    if (threadIdx.x & 1)
        __syncthreads();
    else
        __syncthreads();
    out[threadIdx.x] = 1.0f;
}

// Warp primitives: xor-butterfly sum, down/up/indexed shuffles, __syncwarp,
// an atomic counter and a static __shared__ variable.
__global__ void k_warp_ops(const int* in, int* sums, int* down, int* up, int* bcast, int* counter) {
    __shared__ int s_total;
    const int t = int(threadIdx.x);
    if (t == 0) s_total = 0;
    __syncthreads();
    int v = in[t];
    int s = v;
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    sums[t] = s;
    down[t] = __shfl_down_sync(0xffffffffu, v, 3);
    up[t] = __shfl_up_sync(0xffffffffu, v, 2, 16);
    bcast[t] = __shfl_sync(0xffffffffu, v, 7);
    __syncwarp();
    atomicAdd(&s_total, v);
    atomicAdd(counter, 1);
    __syncthreads();
    if (t == 0) atomicAdd(counter, 1000 * s_total);
}

// Reads dynamic shared memory that nobody wrote: must see the NaN fill.
__global__ void k_read_unwritten(float* out) {
    DGQ_EXTERN_SHARED(float, s);
    out[threadIdx.x] = s[threadIdx.x];
}

void launch_reverse(bool broken, int blocks, int threads, const float* in, float* out) {
    if (broken)
        DGQ_LAUNCH(k_reverse_missing_barrier, dim3(blocks), dim3(threads), threads * sizeof(float), nullptr, in, out);
    else
        DGQ_LAUNCH(k_reverse_ok, dim3(blocks), dim3(threads), threads * sizeof(float), nullptr, in, out);
}
void launch_early_return(int threads, float* out) {
    DGQ_LAUNCH(k_early_return, dim3(1), dim3(threads), threads * sizeof(float), nullptr, out);
}
void launch_divergent(int threads, float* out) {
    DGQ_LAUNCH(k_divergent_barrier, dim3(1), dim3(threads), 0, nullptr, out);
}
void launch_warp_ops(int threads, const int* in, int* sums, int* down, int* up, int* bcast, int* counter) {
    DGQ_LAUNCH(k_warp_ops, dim3(1), dim3(threads), 0, nullptr, in, sums, down, up, bcast, counter);
}
int launch_read_unwritten(int threads, size_t smem, float* out) {
    DGQ_LAUNCH(k_read_unwritten, dim3(1), dim3(threads), smem, nullptr, out);
    return int(cudaGetLastError());
}
