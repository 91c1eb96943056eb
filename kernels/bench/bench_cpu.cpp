// bench_cpu: micro-benchmark of libdgq_cpu.so (not part of the tests).
// n in {4, 8, 12, 14}, L = 4, rotations RX,RY,RZ, ring entangler, float32;
// forward, adjoint backward and parameter-shift backward; 1 and 2 threads.
// Prints microseconds per sample: wall-clock median and min of `reps` timed runs
// after a warm-up, and the median process CPU time per sample (all threads
// together: on a shared machine the 1-thread CPU time is the steadier figure).
//   bench_cpu [reps]
#include <dgq/dgq.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-3.f, 3.f);
    std::printf("instruction set: %s\n", dgq_cpu_isa());
    std::printf("| n | L | B | op | threads | wall us/sample (median of %d) | wall min | CPU us/sample (median) |\n"
                "|---|---|---|---|---|---|---|---|\n",
                reps);
    auto cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) * 1e-3;
    };
    for (int n : {4, 8, 12, 14}) {
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
            // keep one timed run around 0.1-0.5 s on one core
            int B = n <= 8 ? 4096 : (n == 12 ? 512 : 128);
            if (op == 2) B = n <= 4 ? 512 : (n <= 8 ? 64 : (n == 12 ? 4 : 2));
            std::vector<float> x(size_t(B) * n), w(size_t(c.n_layers) * n * c.n_rot), g(x.size()), z(x.size()),
                dx(x.size()), dw(w.size());
            for (auto& v : x) v = u(rng);
            for (auto& v : w) v = u(rng);
            for (auto& v : g) v = u(rng) / 3.f;
            for (int threads : {1, 2}) {
                dgq_cpu_set_threads(threads);
                auto run = [&] {
                    int rc = op == 0 ? dgq_cpu_forward_f32(&c, B, x.data(), w.data(), z.data())
                                     : dgq_cpu_backward_f32(&c, B, x.data(), w.data(), g.data(), dx.data(), dw.data(),
                                                            op == 1 ? DGQ_ADJOINT : DGQ_PARAMETER_SHIFT);
                    if (rc != DGQ_OK) {
                        std::fprintf(stderr, "error: %s\n", dgq_cpu_last_error());
                        std::exit(1);
                    }
                };
                run();  // warm-up
                std::vector<double> us, cpu;
                for (int r = 0; r < reps; ++r) {
                    const double c0 = cpu_now();
                    const auto t0 = std::chrono::steady_clock::now();
                    run();
                    const auto t1 = std::chrono::steady_clock::now();
                    cpu.push_back((cpu_now() - c0) / B);
                    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / B);
                }
                std::sort(us.begin(), us.end());
                std::sort(cpu.begin(), cpu.end());
                const char* names[3] = {"forward", "adjoint", "param-shift"};
                std::printf("| %d | %d | %d | %s | %d | %.2f | %.2f | %.2f |\n", n, c.n_layers, B, names[op], threads,
                            us[us.size() / 2], us[0], cpu[cpu.size() / 2]);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
