// Launchers of the emulator self-test kernels (harness_kernels.cu).
#pragma once
#include <cstddef>

extern const int kEarlyReturnBarrierLine;
extern const int kDivergentLineA;
extern const int kDivergentLineB;

void launch_reverse(bool broken, int blocks, int threads, const float* in, float* out);
void launch_early_return(int threads, float* out);
void launch_divergent(int threads, float* out);
void launch_warp_ops(int threads, const int* in, int* sums, int* down, int* up, int* bcast, int* counter);
int launch_read_unwritten(int threads, std::size_t smem, float* out);
