// bench_cpu: micro-benchmark of libdgq_cpu.so (not part of the tests).
// n in {4, 8, 12, 14} by default, L = 4, rotations RX,RY,RZ, ring entangler, float32
// and float64; forward, adjoint backward and parameter-shift backward; 1 and 2 threads.
// Prints microseconds per sample: wall-clock median and min of `reps` timed runs
// after a warm-up, and the median process CPU time per sample (all threads
// together: on a shared machine the 1-thread CPU time is the steadier figure).
// GFLOP/s (forward) counts 6nN + 14N (L-1) n + 4nN flops per sample, N = 2^n,
// as the roofline in docs/kernels.md does.
//   bench_cpu [reps] [f32|f64|both] [max threads] [ops: f=forward a=adjoint s=shift, e.g. fa]
//             [sizes, e.g. 12,14,16 (default 4,8,12,14)]
//             [settings, comma-separated: "default", a DGQ_CPU_BLOCK value (e.g. 0,512),
//              or VAR=VALUE[+VAR=VALUE...], e.g. DGQ_CPU_SHIFT=sample,default]
// DGQ_CPU_ISA=base|avx2|avx512 picks the build. The settings are the library's
// tuning switches (docs/kernels.md: DGQ_CPU_BLOCK, DGQ_CPU_SNAPSHOT_MIB,
// DGQ_CPU_SHIFT, DGQ_CPU_LANES_MAX, DGQ_CPU_FUSE_GATHER; each setting starts
// from all of them unset). With several, every timed run of a row runs each
// setting once, interleaved, so they share the machine's state; one table row
// per setting (column "block").
#include <dgq/dgq.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

template <class T>
void run_all(int reps, int max_threads, const std::string& ops, const char* pname, const std::vector<int>& sizes,
             const std::vector<std::string>& modes);

static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t a = 0;
    while (a <= s.size()) {
        const size_t b = std::min(s.find(',', a), s.size());
        if (b > a) out.push_back(s.substr(a, b - a));
        a = b + 1;
    }
    return out;
}

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const std::string prec = argc > 2 ? argv[2] : "f32";
    const int max_threads = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
    const std::string ops = argc > 4 ? argv[4] : "fas";
    std::vector<int> sizes;
    for (const auto& t : split(argc > 5 ? argv[5] : "4,8,12,14")) sizes.push_back(std::atoi(t.c_str()));
    std::vector<std::string> modes = split(argc > 6 ? argv[6] : "");
    if (modes.empty()) modes.push_back(std::getenv("DGQ_CPU_BLOCK") ? std::getenv("DGQ_CPU_BLOCK") : "default");
    std::printf("instruction set: %s\n", dgq_cpu_isa());
    std::printf("| n | L | B | prec | op | threads | block | wall us/sample (median of %d) | wall min | CPU us/sample (median) | "
                "GFLOP/s (1 core, from CPU time) |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|\n",
                reps);
    for (int f64 = 0; f64 < 2; ++f64) {
        if ((f64 && prec == "f32") || (!f64 && prec == "f64")) continue;
        if (f64)
            run_all<double>(reps, max_threads, ops, "f64", sizes, modes);
        else
            run_all<float>(reps, max_threads, ops, "f32", sizes, modes);
    }
    return 0;
}

template <class T>
void run_all(int reps, int max_threads, const std::string& ops, const char* pname, const std::vector<int>& sizes,
             const std::vector<std::string>& modes) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<T> u(-3, 3);
    auto cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) * 1e-3;
    };
    for (int n : sizes) {
        dgq_circuit c{};
        c.n_qubits = n;
        c.n_layers = 4;
        c.encoding = DGQ_RY;
        c.entangler = DGQ_ENT_RING;
        c.n_rot = 3;
        c.rot[0] = DGQ_RX;
        c.rot[1] = DGQ_RY;
        c.rot[2] = DGQ_RZ;
        for (int op = 0; op < 3; ++op) {
            if (ops.find("fas"[op]) == std::string::npos) continue;
            // keep one timed run around 0.1-0.5 s on one core
            int B = n <= 8 ? 4096 : (n <= 12 ? 512 : (n <= 14 ? 128 : (n <= 16 ? 32 : 16)));
            if (op == 2) B = n <= 4 ? 512 : (n <= 8 ? 64 : 16);
            std::vector<T> x(size_t(B) * n), w(size_t(c.n_layers) * n * c.n_rot), g(x.size()), z(x.size()),
                dx(x.size()), dw(w.size());
            for (auto& v : x) v = u(rng);
            for (auto& v : w) v = u(rng);
            for (auto& v : g) v = u(rng) / 3.f;
            for (int threads = 1; threads <= max_threads; ++threads) {
                dgq_cpu_set_threads(threads);
                auto run = [&] {
                    int rc;
                    if constexpr (sizeof(T) == 4)
                        rc = op == 0 ? dgq_cpu_forward_f32(&c, B, x.data(), w.data(), z.data())
                                     : dgq_cpu_backward_f32(&c, B, x.data(), w.data(), g.data(), dx.data(), dw.data(),
                                                            op == 1 ? DGQ_ADJOINT : DGQ_PARAMETER_SHIFT);
                    else
                        rc = op == 0 ? dgq_cpu_forward_f64(&c, B, x.data(), w.data(), z.data())
                                     : dgq_cpu_backward_f64(&c, B, x.data(), w.data(), g.data(), dx.data(), dw.data(),
                                                            op == 1 ? DGQ_ADJOINT : DGQ_PARAMETER_SHIFT);
                    if (rc != DGQ_OK) {
                        std::fprintf(stderr, "error: %s\n", dgq_cpu_last_error());
                        std::exit(1);
                    }
                };
                const size_t M = modes.size();
                // a setting: "default", a DGQ_CPU_BLOCK value, or VAR=VALUE[+VAR=VALUE...]
                auto set_mode = [&](size_t m) {
                    for (const char* v : {"DGQ_CPU_BLOCK", "DGQ_CPU_SNAPSHOT_MIB", "DGQ_CPU_SHIFT", "DGQ_CPU_LANES_MAX", "DGQ_CPU_FUSE_GATHER"}) unsetenv(v);
                    if (modes[m] == "default") return;
                    if (modes[m].find('=') == std::string::npos) {
                        setenv("DGQ_CPU_BLOCK", modes[m].c_str(), 1);
                        return;
                    }
                    size_t a = 0;
                    while (a < modes[m].size()) {
                        const size_t b = std::min(modes[m].find('+', a), modes[m].size());
                        const std::string kv = modes[m].substr(a, b - a);
                        const size_t e = kv.find('=');
                        setenv(kv.substr(0, e).c_str(), kv.substr(e + 1).c_str(), 1);
                        a = b + 1;
                    }
                };
                for (size_t m = 0; m < M; ++m) {  // warm-up
                    set_mode(m);
                    run();
                }
                std::vector<std::vector<double>> us(M), cpu(M);
                for (int r = 0; r < reps; ++r)
                    for (size_t m = 0; m < M; ++m) {
                        set_mode(m);
                        const double c0 = cpu_now();
                        const auto t0 = std::chrono::steady_clock::now();
                        run();
                        const auto t1 = std::chrono::steady_clock::now();
                        cpu[m].push_back((cpu_now() - c0) / B);
                        us[m].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / B);
                    }
                for (size_t m = 0; m < M; ++m) {
                    std::sort(us[m].begin(), us[m].end());
                    std::sort(cpu[m].begin(), cpu[m].end());
                    const char* names[3] = {"forward", "adjoint", "param-shift"};
                    const double cpu_med = cpu[m][cpu[m].size() / 2];
                    const double N = double(1 << n);
                    const double flops = 6.0 * n * N + 14.0 * N * (c.n_layers - 1) * n + 4.0 * n * N;  // per sample
                    const double wmed = us[m][us[m].size() / 2], wmin = us[m][0];
                    if (op == 0)
                        std::printf("| %d | %d | %d | %s | %s | %d | %s | %.3f | %.3f | %.3f | %.1f |\n", n, c.n_layers,
                                    B, pname, names[op], threads, modes[m].c_str(), wmed, wmin, cpu_med,
                                    flops / (cpu_med * 1e3) / threads);
                    else
                        std::printf("| %d | %d | %d | %s | %s | %d | %s | %.3f | %.3f | %.3f | |\n", n, c.n_layers, B,
                                    pname, names[op], threads, modes[m].c_str(), wmed, wmin, cpu_med);
                }
                std::fflush(stdout);
            }
        }
    }
}
