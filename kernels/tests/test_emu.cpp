// test_emu: the CUDA kernels (cuda/dgq_kernels.cu compiled with g++ through
// emu/cuda_emu.h) against the reference cases and the native CPU library.
//   test_emu [--threads] [--quick] [pqc_cases.json]
// --threads runs the block's threads as OS threads (the ThreadSanitizer build),
// --quick keeps to a few small cases (for that slower build).
// Also the elementwise layer kernels (pi_tanh and its backward) vs a plain loop.
#include <dgq/dgq.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "cuda_emu.h"
#include "test_common.h"

using namespace dgqtest;

// The emulated "device pointers" are host pointers.
static bool run_emu(const Case& c, bool f64, int method, Result& r) {
    if (f64)
        return run_with<double>(
            c, method, r,
            [](const dgq_circuit* cc, int B, const double* x, const double* w, double* z) {
                return dgq_cuda_forward_f64(cc, B, x, w, z, nullptr);
            },
            [](const dgq_circuit* cc, int B, const double* x, const double* w, const double* g, double* dx,
               double* dw, int m) { return dgq_cuda_backward_f64(cc, B, x, w, g, dx, dw, m, nullptr); },
            dgq_cuda_last_error);
    return run_with<float>(
        c, method, r,
        [](const dgq_circuit* cc, int B, const float* x, const float* w, float* z) {
            return dgq_cuda_forward_f32(cc, B, x, w, z, nullptr);
        },
        [](const dgq_circuit* cc, int B, const float* x, const float* w, const float* g, float* dx, float* dw,
           int m) { return dgq_cuda_backward_f32(cc, B, x, w, g, dx, dw, m, nullptr); },
        dgq_cuda_last_error);
}

static bool run_cpu(const Case& c, bool f64, int method, Result& r) {
    if (f64) return run_with<double>(c, method, r, dgq_cpu_forward_f64, dgq_cpu_backward_f64, dgq_cpu_last_error);
    return run_with<float>(c, method, r, dgq_cpu_forward_f32, dgq_cpu_backward_f32, dgq_cpu_last_error);
}

// ---- elementwise layer kernels ----
template <class T>
struct Elt;
template <>
struct Elt<float> {
    static constexpr auto fwd = dgq_cuda_pi_tanh_f32;
    static constexpr auto bwd = dgq_cuda_pi_tanh_backward_f32;
    static constexpr double tol = 1e-6;
    static constexpr const char* name = "f32";
};
template <>
struct Elt<double> {
    static constexpr auto fwd = dgq_cuda_pi_tanh_f64;
    static constexpr auto bwd = dgq_cuda_pi_tanh_backward_f64;
    static constexpr double tol = 1e-12;
    static constexpr const char* name = "f64";
};

// Any non-null stream handle must be accepted without being dereferenced (the
// Java tests pass fake handles); the emulator never looks at it.
static void* const kFakeStream = reinterpret_cast<void*>(0x3000);

static long launches() { return emu::launch_record().launches; }

// pi_tanh and its backward on `count` random values against a double loop,
// then in place. One element past the end must stay untouched.
template <class T>
static void check_pi_tanh(Tally& t, int64_t count) {
    const std::string label = std::string("pi_tanh ") + Elt<T>::name + " count " + std::to_string(count);
    const double pi = 3.14159265358979323846;
    std::mt19937_64 rng(uint64_t(count) * 2 + sizeof(T));
    std::uniform_real_distribution<double> a(-4.0, 4.0), g(-1.0, 1.0);
    const size_t n = size_t(count);
    std::vector<T> pre(n + 1), dth(n + 1), theta(n + 1, T(-7)), da(n + 1, T(-7));
    for (size_t i = 0; i < n; ++i) {
        pre[i] = T(a(rng));
        dth[i] = T(g(rng));
    }
    const long before = launches();
    int rc = Elt<T>::fwd(count, pre.data(), theta.data(), kFakeStream);
    if (rc == DGQ_OK) rc = Elt<T>::bwd(count, theta.data(), dth.data(), da.data(), kFakeStream);
    t.check(rc == DGQ_OK, label + " ran: " + dgq_cuda_last_error());
    if (rc != DGQ_OK) return;
    t.check(launches() - before == (count == 0 ? 0 : 2), label + ": one launch per call, none for count 0");
    double ef = 0, eb = 0;
    for (size_t i = 0; i < n; ++i) {
        const double want = pi * std::tanh(double(pre[i]));
        const double df = std::fabs(double(theta[i]) - want) / std::max(std::fabs(want), 1e-300);
        // 1 - (theta/pi)^2 cancels near |theta| = pi, so the error is measured
        // against the size of the uncancelled product dtheta * pi
        const double th = double(theta[i]) / pi;
        const double wb = double(dth[i]) * pi * (1 - th * th);
        const double db = std::fabs(double(da[i]) - wb) / std::max(std::fabs(double(dth[i])) * pi, 1e-300);
        if (!(df <= ef)) ef = std::isnan(df) ? INFINITY : df;
        if (!(db <= eb)) eb = std::isnan(db) ? INFINITY : db;
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, " (max rel err %.3g, tol %.0e)", ef, Elt<T>::tol);
    t.check(ef <= Elt<T>::tol, label + " forward vs loop" + buf);
    std::snprintf(buf, sizeof buf, " (max rel err %.3g, tol %.0e)", eb, Elt<T>::tol);
    t.check(eb <= Elt<T>::tol, label + " backward vs loop" + buf);
    t.check(theta[n] == T(-7) && da[n] == T(-7), label + ": nothing written past count");

    // in place: the same values as out of place, bit for bit
    std::vector<T> io = pre, gio = dth;
    rc = Elt<T>::fwd(count, io.data(), io.data(), kFakeStream);
    if (rc == DGQ_OK) rc = Elt<T>::bwd(count, theta.data(), gio.data(), gio.data(), kFakeStream);
    t.check(rc == DGQ_OK && std::memcmp(io.data(), theta.data(), n * sizeof(T)) == 0 &&
                std::memcmp(gio.data(), da.data(), n * sizeof(T)) == 0,
            label + " in place (theta == pre, da == dtheta)");
}

template <class T>
static void check_pi_tanh_errors(Tally& t) {
    const std::string p = std::string("pi_tanh ") + Elt<T>::name + ": ";
    T buf[8] = {0};
    const long before = launches();
    // alternate the two messages so that a stale one cannot pass
    t.check(Elt<T>::fwd(-1, buf, buf, nullptr) == DGQ_ERR_INVALID && std::strstr(dgq_cuda_last_error(), "count"),
            p + "count < 0 rejected: " + dgq_cuda_last_error());
    t.check(Elt<T>::fwd(8, nullptr, buf, nullptr) == DGQ_ERR_INVALID && std::strstr(dgq_cuda_last_error(), "null"),
            p + "null input rejected: " + dgq_cuda_last_error());
    t.check(Elt<T>::bwd(-5, buf, buf, buf, nullptr) == DGQ_ERR_INVALID && std::strstr(dgq_cuda_last_error(), "count"),
            p + "backward count < 0 rejected: " + dgq_cuda_last_error());
    t.check(Elt<T>::fwd(8, buf, nullptr, nullptr) == DGQ_ERR_INVALID && std::strstr(dgq_cuda_last_error(), "null"),
            p + "null output rejected: " + dgq_cuda_last_error());
    t.check(Elt<T>::bwd(8, buf, nullptr, buf, nullptr) == DGQ_ERR_INVALID, p + "backward null dtheta rejected");
    t.check(Elt<T>::bwd(8, buf, buf, nullptr, nullptr) == DGQ_ERR_INVALID, p + "backward null da rejected");
    t.check(Elt<T>::bwd(8, nullptr, buf, buf, nullptr) == DGQ_ERR_INVALID, p + "backward null theta rejected");
    t.check(Elt<T>::fwd(0, nullptr, nullptr, nullptr) == DGQ_OK &&
                Elt<T>::bwd(0, nullptr, nullptr, nullptr, nullptr) == DGQ_OK,
            p + "count 0 with null pointers is a no-op");
    t.check(launches() == before, p + "no launch for rejected calls or count 0");
}

// quick (the TSan run, where every launch starts 256 OS threads): fewer counts.
template <class T>
static void check_elementwise(Tally& t, bool quick) {
    for (int64_t count : {0, 1, 31, 1000})
        if (!quick || count == 0 || count == 31) check_pi_tanh<T>(t, count);
    // more elements than threads in the grid: each thread loops (grid-stride).
    // One modelled SM caps the grid at 8 blocks of 256 threads.
    emu::config().sm_count = 1;
    check_pi_tanh<T>(t, 5000);
    const emu::LaunchRecord& r = emu::launch_record();
    t.check(long(r.grid.x) * r.block.x < 5000, std::string("pi_tanh ") + Elt<T>::name + ": count 5000 exceeds the " +
                                                   std::to_string(long(r.grid.x) * r.block.x) + " threads of the grid");
    emu::config().sm_count = 132;
    check_pi_tanh_errors<T>(t);
}

int main(int argc, char** argv) {
    bool quick = false;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads"))
            emu::config().mode = emu::Mode::Threads;
        else if (!std::strcmp(argv[i], "--quick"))
            quick = true;
        else
            path = argv[i];
    }
    char* fake[2] = {argv[0], path.empty() ? nullptr : path.data()};
    const auto cases = load_cases(data_path(path.empty() ? 1 : 2, fake));
    Tally t;
    t.check(dgq_cuda_abi_version() == 2, "ABI version 2");
    check_elementwise<float>(t, quick);
    check_elementwise<double>(t, quick);

    const char* mname[2] = {"adjoint", "shift"};
    const int tps_list[3] = {32, 64, 128};

    // Every reference case, every block shape, both precisions and methods.
    for (const auto& c : cases) {
        if (quick && c.c.n_qubits > 3) continue;
        for (int tps : tps_list)
            for (int spb = 1; spb <= 2; ++spb) {
                if (quick && tps != 32) continue;
                dgq_cuda_set_block_shape(tps, spb);
                for (int f64 = 0; f64 < 2; ++f64)
                    for (int m = 0; m < 2; ++m) {
                        Result r;
                        const std::string label = c.name + " tps" + std::to_string(tps) + " spb" +
                                                  std::to_string(spb) + (f64 ? " f64 " : " f32 ") + mname[m];
                        if (!run_emu(c, f64, m, r)) {
                            t.check(false, label + " ran");
                            continue;
                        }
                        compare(t, r, c.z, c.dx, c.dw, f64 ? 1e-9 : 1e-4, label);
                    }
            }
    }
    dgq_cuda_set_block_shape(0, 0);
    if (quick) return t.finish("test_emu (quick)");

    // Fibers scheduled in reverse order: a result that depended on the
    // schedule (a missing barrier) would change.
    emu::config().reverse_order = true;
    dgq_cuda_set_block_shape(64, 2);
    for (const auto& c : cases)
        for (int m = 0; m < 2; ++m) {
            Result r;
            const bool ok = run_emu(c, true, m, r);
            t.check(ok, c.name + " reverse-order ran");
            if (ok) compare(t, r, c.z, c.dx, c.dw, 1e-9, c.name + " reverse-order fibers f64 " + mname[m]);
        }
    dgq_cuda_set_block_shape(0, 0);
    emu::config().reverse_order = false;

    // Global-memory state fallback, forced, on every case.
    dgq_cuda_force_global_state(1);
    for (const auto& c : cases)
        for (int m = 0; m < 2; ++m) {
            Result r;
            const bool ok = run_emu(c, true, m, r);
            t.check(ok, c.name + " global-state ran");
            if (ok) compare(t, r, c.z, c.dx, c.dw, 1e-9, c.name + " global-state f64 " + mname[m]);
        }
    dgq_cuda_force_global_state(0);

    // Random circuits: emulated kernels vs CPU library (f64), adjoint vs shift, f32 vs f64.
    std::mt19937_64 rng(99);
    for (int n = 1; n <= 9; ++n) {
        const Case c = random_case(rng, n, 1 + (n * 7) % 4, 5);
        Result cpu, adj, sh, a32;
        const bool ok = run_cpu(c, true, DGQ_ADJOINT, cpu) && run_emu(c, true, DGQ_ADJOINT, adj) &&
                        run_emu(c, true, DGQ_PARAMETER_SHIFT, sh) && run_emu(c, false, DGQ_ADJOINT, a32);
        t.check(ok, c.name + " ran");
        if (!ok) continue;
        compare(t, adj, cpu.z, cpu.dx, cpu.dw, 1e-9, c.name + " emu adjoint vs cpu f64");
        compare(t, sh, cpu.z, cpu.dx, cpu.dw, 1e-9, c.name + " emu shift vs cpu adjoint f64");
        compare(t, a32, cpu.z, cpu.dx, cpu.dw, 1e-4, c.name + " emu f32 vs cpu f64");
    }

    // Large n: on-chip (f32 n = 13 forward), automatic fallback (adjoint with
    // two states of n = 14, f64 n = 14 forward), and a smaller GPU (99 KiB).
    {
        Case c = random_case(rng, 14, 2, 2);
        Result cpu, e32, e64;
        const bool ok = run_cpu(c, true, DGQ_ADJOINT, cpu) && run_emu(c, false, DGQ_ADJOINT, e32) &&
                        run_emu(c, true, DGQ_ADJOINT, e64);
        t.check(ok, "n14 ran");
        if (ok) {
            compare(t, e32, cpu.z, cpu.dx, cpu.dw, 1e-4, "n14 emu f32 vs cpu");
            compare(t, e64, cpu.z, cpu.dx, cpu.dw, 1e-9, "n14 emu f64 vs cpu");
        }
        emu::config().max_optin_smem = 101376;  // sm_86/sm_89 consumer GPUs
        Result small;
        const bool ok2 = run_emu(c, false, DGQ_ADJOINT, small);
        t.check(ok2, "n14 on a 99 KiB GPU ran (global-memory fallback)");
        if (ok2 && ok) compare(t, small, cpu.z, cpu.dx, cpu.dw, 1e-4, "n14 99KiB emu f32 vs cpu");
        emu::config().max_optin_smem = 232448;
    }

    // Error paths.
    {
        t.check(dgq_cuda_set_block_shape(48, 1) == DGQ_ERR_INVALID, "tps 48 rejected");
        t.check(dgq_cuda_set_block_shape(0, 0) == DGQ_OK, "automatic shape accepted");
        dgq_circuit big = cases[0].c;
        big.n_qubits = 21;
        float buf[64] = {0};
        const int rc = dgq_cuda_forward_f32(&big, 1, buf, buf, buf, nullptr);
        t.check(rc == DGQ_ERR_UNSUPPORTED && std::strstr(dgq_cuda_last_error(), "n_qubits") != nullptr,
                std::string("n = 21 unsupported: ") + dgq_cuda_last_error());
        dgq_circuit ok = cases[0].c;
        t.check(dgq_cuda_backward_f32(&ok, 1, buf, buf, buf, buf, buf, 5, nullptr) == DGQ_ERR_INVALID,
                "bad method rejected");
        float dw0[1] = {5.f};
        t.check(dgq_cuda_backward_f32(&ok, 0, nullptr, buf, nullptr, nullptr, dw0, DGQ_ADJOINT, nullptr) == DGQ_OK &&
                    dw0[0] == 0.f,
                "batch 0: dw overwritten with 0");
    }
    return t.finish("test_emu");
}
