// test_cuda: libdgq_cuda.so on a real GPU against the reference cases and the
// CPU library (the same checks as test_emu, with device memory).
// Exits 77 (ctest: skipped) when no CUDA device can be used.
//   test_cuda [pqc_cases.json]
#include <cuda_runtime.h>
#include <dgq/dgq.h>

#include <algorithm>
#include <cmath>

#include "test_common.h"

using namespace dgqtest;

namespace {

template <class T>
struct Dev {
    T* p = nullptr;
    explicit Dev(const std::vector<T>& h) {
        cudaMalloc(&p, std::max<size_t>(1, h.size()) * sizeof(T));
        cudaMemcpy(p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice);
    }
    explicit Dev(size_t n) { cudaMalloc(&p, std::max<size_t>(1, n) * sizeof(T)); }
    ~Dev() { cudaFree(p); }
    std::vector<double> get(size_t n) const {
        std::vector<T> h(n);
        cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost);
        return std::vector<double>(h.begin(), h.end());
    }
};

template <class T, class Fwd, class Bwd>
bool run_dev(const Case& c, int method, Result& r, Fwd fwd, Bwd bwd) {
    const size_t n = size_t(c.c.n_qubits), Bn = size_t(c.B) * n;
    Dev<T> x(conv<T>(c.x)), w(conv<T>(c.w)), g(conv<T>(c.g)), z(Bn), dx(Bn), dw(c.w.size());
    int rc = fwd(&c.c, c.B, x.p, w.p, z.p, nullptr);
    if (rc == DGQ_OK) rc = bwd(&c.c, c.B, x.p, w.p, g.p, dx.p, dw.p, method, nullptr);
    if (rc != DGQ_OK) {
        std::printf("backend error %d on %s: %s\n", rc, c.name.c_str(), dgq_cuda_last_error());
        return false;
    }
    r.z = z.get(Bn);
    r.dx = dx.get(Bn);
    r.dw = dw.get(c.w.size());
    return true;
}

bool run_cuda(const Case& c, bool f64, int method, Result& r) {
    if (f64) return run_dev<double>(c, method, r, dgq_cuda_forward_f64, dgq_cuda_backward_f64);
    return run_dev<float>(c, method, r, dgq_cuda_forward_f32, dgq_cuda_backward_f32);
}
bool run_cpu(const Case& c, bool f64, int method, Result& r) {
    if (f64) return run_with<double>(c, method, r, dgq_cpu_forward_f64, dgq_cpu_backward_f64, dgq_cpu_last_error);
    return run_with<float>(c, method, r, dgq_cpu_forward_f32, dgq_cpu_backward_f32, dgq_cpu_last_error);
}

// pi_tanh and its backward (asynchronous) on a real stream, against a double
// loop after synchronising; count larger than one grid, so the kernels loop.
template <class T>
void check_pi_tanh(Tally& t, int64_t count, cudaStream_t st) {
    const bool f64 = sizeof(T) == 8;
    const double tol = f64 ? 1e-12 : 1e-6, pi = 3.14159265358979323846;
    const std::string label = std::string("pi_tanh ") + (f64 ? "f64" : "f32") + " count " + std::to_string(count);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> a(-4.0, 4.0), g(-1.0, 1.0);
    const size_t n = size_t(count);
    std::vector<T> pre(n), dth(n);
    for (size_t i = 0; i < n; ++i) {
        pre[i] = T(a(rng));
        dth[i] = T(g(rng));
    }
    Dev<T> theta(pre), da(dth);  // both computed in place
    int rc;
    if constexpr (sizeof(T) == 8) {
        rc = dgq_cuda_pi_tanh_f64(count, theta.p, theta.p, st);
        if (rc == DGQ_OK) rc = dgq_cuda_pi_tanh_backward_f64(count, theta.p, da.p, da.p, st);
    } else {
        rc = dgq_cuda_pi_tanh_f32(count, theta.p, theta.p, st);
        if (rc == DGQ_OK) rc = dgq_cuda_pi_tanh_backward_f32(count, theta.p, da.p, da.p, st);
    }
    const cudaError_t e = cudaStreamSynchronize(st);
    t.check(rc == DGQ_OK && e == cudaSuccess, label + " ran: " + dgq_cuda_last_error() + " / " + cudaGetErrorString(e));
    if (rc != DGQ_OK || e != cudaSuccess) return;
    const std::vector<double> th = theta.get(n), d = da.get(n);
    double ef = 0, eb = 0;
    for (size_t i = 0; i < n; ++i) {
        const double want = pi * std::tanh(double(pre[i])), u = th[i] / pi;
        const double df = std::fabs(th[i] - want) / std::max(std::fabs(want), 1e-300);
        // relative to dtheta * pi: 1 - (theta/pi)^2 cancels near |theta| = pi
        const double db = std::fabs(d[i] - double(dth[i]) * pi * (1 - u * u)) /
                          std::max(std::fabs(double(dth[i])) * pi, 1e-300);
        if (!(df <= ef)) ef = std::isnan(df) ? INFINITY : df;
        if (!(db <= eb)) eb = std::isnan(db) ? INFINITY : db;
    }
    char buf[80];
    std::snprintf(buf, sizeof buf, " (max rel err %.3g / %.3g, tol %.0e)", ef, eb, tol);
    t.check(ef <= tol, label + " forward vs loop" + buf);
    t.check(eb <= tol, label + " backward vs loop" + buf);
}

}  // namespace

int main(int argc, char** argv) {
    int count = 0;
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess || count == 0) {
        std::printf("SKIP test_cuda: no usable CUDA device (%s)\n",
                    e != cudaSuccess ? cudaGetErrorString(e) : "device count 0");
        return 77;
    }
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    std::printf("device: %s (sm_%d%d, %zu KiB opt-in shared memory per block)\n", prop.name, prop.major,
                prop.minor, prop.sharedMemPerBlockOptin / 1024);
    const auto cases = load_cases(data_path(argc, argv));
    Tally t;
    const char* mname[2] = {"adjoint", "shift"};
    for (const auto& c : cases)
        for (int tps : {32, 64, 128})
            for (int spb = 1; spb <= 2; ++spb) {
                dgq_cuda_set_block_shape(tps, spb);
                for (int f64 = 0; f64 < 2; ++f64)
                    for (int m = 0; m < 2; ++m) {
                        Result r;
                        const std::string label = c.name + " tps" + std::to_string(tps) + " spb" +
                                                  std::to_string(spb) + (f64 ? " f64 " : " f32 ") + mname[m];
                        if (!run_cuda(c, f64, m, r)) {
                            t.check(false, label + " ran");
                            continue;
                        }
                        compare(t, r, c.z, c.dx, c.dw, f64 ? 1e-9 : 1e-4, label);
                    }
            }
    dgq_cuda_set_block_shape(0, 0);
    std::mt19937_64 rng(5);
    for (int n = 1; n <= 14; ++n) {
        const Case c = random_case(rng, n, 1 + n % 4, n <= 10 ? 33 : 3);
        for (int gl = 0; gl < 2; ++gl) {
            dgq_cuda_force_global_state(gl);
            Result cpu, a32, a64, s64;
            const bool ok = run_cpu(c, true, DGQ_ADJOINT, cpu) && run_cuda(c, false, DGQ_ADJOINT, a32) &&
                            run_cuda(c, true, DGQ_ADJOINT, a64) &&
                            (n > 10 || run_cuda(c, true, DGQ_PARAMETER_SHIFT, s64));
            const std::string label = c.name + (gl ? " global-state" : "");
            t.check(ok, label + " ran");
            if (!ok) continue;
            compare(t, a32, cpu.z, cpu.dx, cpu.dw, 1e-4, label + " cuda f32 vs cpu f64");
            compare(t, a64, cpu.z, cpu.dx, cpu.dw, 1e-9, label + " cuda f64 vs cpu f64");
            if (n <= 10) compare(t, s64, cpu.z, cpu.dx, cpu.dw, 1e-9, label + " cuda shift vs cpu f64");
        }
    }
    dgq_cuda_force_global_state(0);

    cudaStream_t st = nullptr;
    t.check(cudaStreamCreate(&st) == cudaSuccess, "stream created");
    for (int64_t count : {int64_t(1), int64_t(1000), int64_t(3) << 20}) {  // 3M > 8 blocks x 256 x SMs
        check_pi_tanh<float>(t, count, st);
        check_pi_tanh<double>(t, count, st);
    }
    cudaStreamDestroy(st);
    return t.finish("test_cuda");
}
