// bench_cuda: GPU timings of the dgq_cuda_* entry points for the roofline
// cases of docs/kernels.md (B=4096 n=8 L=4 and B=1024 n=14 L=4, rotations
// RY,RZ, ring, float32). Each figure is the median of `reps` calls measured
// with CUDA events around the call (the call includes its workspace
// allocation and a stream synchronisation).   bench_cuda [reps]
#include <cuda_runtime.h>
#include <dgq/dgq.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
        std::printf("SKIP bench_cuda: no usable CUDA device\n");
        return 77;
    }
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    std::printf("device: %s\n| B | n | L | op | ms per call (median of %d) | us/sample |\n|---|---|---|---|---|---|\n",
                prop.name, reps);
    struct Cfg {
        int B, n;
    };
    for (Cfg cfg : {Cfg{4096, 8}, Cfg{1024, 14}}) {
        dgq_circuit c{};
        c.n_qubits = cfg.n;
        c.n_layers = 4;
        c.encoding = DGQ_RY;
        c.entangler = DGQ_ENT_RING;
        c.n_rot = 2;
        c.rot[0] = DGQ_RY;
        c.rot[1] = DGQ_RZ;
        const size_t Bn = size_t(cfg.B) * cfg.n, Pw = size_t(c.n_layers) * cfg.n * c.n_rot;
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> u(-3.f, 3.f);
        std::vector<float> hx(Bn), hw(Pw), hg(Bn);
        for (auto& v : hx) v = u(rng);
        for (auto& v : hw) v = u(rng);
        for (auto& v : hg) v = u(rng) / 3.f;
        float *x, *w, *g, *z, *dx, *dw;
        cudaMalloc(&x, Bn * 4);
        cudaMalloc(&w, Pw * 4);
        cudaMalloc(&g, Bn * 4);
        cudaMalloc(&z, Bn * 4);
        cudaMalloc(&dx, Bn * 4);
        cudaMalloc(&dw, Pw * 4);
        cudaMemcpy(x, hx.data(), Bn * 4, cudaMemcpyHostToDevice);
        cudaMemcpy(w, hw.data(), Pw * 4, cudaMemcpyHostToDevice);
        cudaMemcpy(g, hg.data(), Bn * 4, cudaMemcpyHostToDevice);
        cudaEvent_t e0, e1;
        cudaEventCreate(&e0);
        cudaEventCreate(&e1);
        for (int op = 0; op < 3; ++op) {
            if (op == 2 && cfg.n > 8) continue;  // parameter shift at n=14 takes seconds per call
            auto call = [&] {
                return op == 0 ? dgq_cuda_forward_f32(&c, cfg.B, x, w, z, nullptr)
                               : dgq_cuda_backward_f32(&c, cfg.B, x, w, g, dx, dw,
                                                       op == 1 ? DGQ_ADJOINT : DGQ_PARAMETER_SHIFT, nullptr);
            };
            if (call() != DGQ_OK) {
                std::printf("error: %s\n", dgq_cuda_last_error());
                return 1;
            }
            std::vector<float> ms;
            for (int r = 0; r < reps; ++r) {
                cudaEventRecord(e0);
                call();
                cudaEventRecord(e1);
                cudaEventSynchronize(e1);
                float t = 0;
                cudaEventElapsedTime(&t, e0, e1);
                ms.push_back(t);
            }
            std::sort(ms.begin(), ms.end());
            const char* names[3] = {"forward", "adjoint", "param-shift"};
            const float med = ms[ms.size() / 2];
            std::printf("| %d | %d | %d | %s | %.3f | %.4f |\n", cfg.B, cfg.n, c.n_layers, names[op], med,
                        med * 1000.f / cfg.B);
        }
        cudaFree(x);
        cudaFree(w);
        cudaFree(g);
        cudaFree(z);
        cudaFree(dx);
        cudaFree(dw);
    }
    return 0;
}
