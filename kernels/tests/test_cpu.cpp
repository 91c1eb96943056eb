// test_cpu: libdgq_cpu.so against the reference cases (f32 <= 1e-4, f64 <= 1e-9),
// adjoint vs parameter shift on random circuits, thread-count independence,
// and the error paths of the C ABI.
#include <dgq/dgq.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "test_common.h"

using namespace dgqtest;

static bool run_cpu(const Case& c, bool f64, int method, Result& r) {
    if (f64) return run_with<double>(c, method, r, dgq_cpu_forward_f64, dgq_cpu_backward_f64, dgq_cpu_last_error);
    return run_with<float>(c, method, r, dgq_cpu_forward_f32, dgq_cpu_backward_f32, dgq_cpu_last_error);
}

int main(int argc, char** argv) {
    Tally t;
    const auto cases = load_cases(data_path(argc, argv));
    const char* mname[2] = {"adjoint", "shift"};
    for (const auto& c : cases) {
        for (int f64 = 0; f64 < 2; ++f64)
            for (int m = 0; m < 2; ++m) {
                Result r;
                const std::string label = c.name + (f64 ? " f64 " : " f32 ") + mname[m];
                if (!run_cpu(c, f64, m, r)) {
                    t.check(false, label + " ran");
                    continue;
                }
                compare(t, r, c.z, c.dx, c.dw, f64 ? 1e-9 : 1e-4, label);
            }
    }

    // Random circuits: adjoint vs parameter shift (f64), f32 vs f64.
    std::mt19937_64 rng(1234);
    for (int n = 1; n <= 10; ++n) {
        const Case c = random_case(rng, n, 1 + n % 4, 3);
        Result a, s, a32;
        const bool ok = run_cpu(c, true, DGQ_ADJOINT, a) && run_cpu(c, true, DGQ_PARAMETER_SHIFT, s) &&
                        run_cpu(c, false, DGQ_ADJOINT, a32);
        t.check(ok, c.name + " ran");
        if (!ok) continue;
        compare(t, s, a.z, a.dx, a.dw, 1e-9, c.name + " shift vs adjoint f64");
        compare(t, a32, a.z, a.dx, a.dw, 1e-4, c.name + " f32 vs f64");
    }

    // Every path of the lane kernels (all-real state, real, diagonal and general
    // blocks; both encodings; every entangler) against parameter shift, which
    // runs the per-sample code; batches that do not fill the last lane group.
    {
        const int rots[5][3] = {{DGQ_RY, DGQ_RY, -1}, {DGQ_RZ, -1, -1}, {DGQ_RZ, DGQ_RZ, -1},
                                {DGQ_RY, -1, -1}, {DGQ_RX, DGQ_RZ, DGQ_RY}};
        int idx = 0;
        for (int enc : {DGQ_RY, DGQ_RX})
            for (const auto& rr : rots)
                for (int ent : {DGQ_ENT_RING, DGQ_ENT_LINEAR, DGQ_ENT_NONE}) {
                    ++idx;
                    Case c = random_case(rng, 2 + idx % 7, 1 + idx % 3, 1 + idx % 19);
                    c.c.encoding = enc;
                    c.c.entangler = ent;
                    c.c.n_rot = 0;
                    for (int r : rr)
                        if (r >= 0) c.c.rot[c.c.n_rot++] = r;
                    c.w.resize(size_t(c.c.n_layers) * c.c.n_qubits * c.c.n_rot, 0.3);
                    for (auto& v : c.w) v = std::uniform_real_distribution<double>(-3, 3)(rng);
                    c.name = "kinds#" + std::to_string(idx) + " n" + std::to_string(c.c.n_qubits) + " B" +
                             std::to_string(c.B);
                    Result a, s, a32;
                    const bool ok = run_cpu(c, true, DGQ_ADJOINT, a) && run_cpu(c, true, DGQ_PARAMETER_SHIFT, s) &&
                                    run_cpu(c, false, DGQ_ADJOINT, a32);
                    t.check(ok, c.name + " ran");
                    if (!ok) continue;
                    compare(t, a, s.z, s.dx, s.dw, 1e-9, c.name + " adjoint vs shift f64");
                    compare(t, a32, s.z, s.dx, s.dw, 1e-4, c.name + " f32 adjoint vs shift f64");
                }
    }

    // A row's outputs do not depend on its position in the batch (lane groups):
    // every row of a batch of 37 equals the same row run alone, bit for bit.
    for (int f64 = 0; f64 < 2; ++f64) {
        const Case c = random_case(rng, 6, 2, 37);
        Result all;
        bool ok = run_cpu(c, f64, DGQ_ADJOINT, all);
        bool same = ok;
        for (int row : {0, 5, 16, 17, 36}) {
            Case one = c;
            one.B = 1;
            const int n = c.c.n_qubits;
            one.x.assign(c.x.begin() + row * n, c.x.begin() + (row + 1) * n);
            one.g.assign(c.g.begin() + row * n, c.g.begin() + (row + 1) * n);
            Result r;
            ok = ok && run_cpu(one, f64, DGQ_ADJOINT, r);
            if (!ok) break;
            for (int q = 0; q < n; ++q)
                same = same && r.z[q] == all.z[size_t(row) * n + q] && r.dx[q] == all.dx[size_t(row) * n + q];
        }
        t.check(ok && same, std::string("row results independent of batch position ") + (f64 ? "f64" : "f32"));
    }

    // Same bits whatever the thread count (fixed chunking of the batch).
    {
        const Case c = random_case(rng, 8, 3, 100);
        Result r1, r2;
        dgq_cpu_set_threads(1);
        const bool ok1 = run_cpu(c, false, DGQ_ADJOINT, r1);
        dgq_cpu_set_threads(2);
        const bool ok2 = run_cpu(c, false, DGQ_ADJOINT, r2);
        dgq_cpu_set_threads(0);
        t.check(ok1 && ok2 && r1.z == r2.z && r1.dx == r2.dx && r1.dw == r2.dw, "1 vs 2 threads bitwise equal");
        const Case c2 = random_case(rng, 5, 2, 9);
        Result s1, s2;
        dgq_cpu_set_threads(1);
        const bool ok3 = run_cpu(c2, false, DGQ_PARAMETER_SHIFT, s1);
        dgq_cpu_set_threads(2);
        const bool ok4 = run_cpu(c2, false, DGQ_PARAMETER_SHIFT, s2);
        dgq_cpu_set_threads(0);
        t.check(ok3 && ok4 && s1.dx == s2.dx && s1.dw == s2.dw, "parameter shift: 1 vs 2 threads bitwise equal");
    }
    std::printf("instruction set: %s\n", dgq_cpu_isa());

    // The variants behind the library's tuning switches (read at every call),
    // in one process: lane parameter shift vs the per-sample code
    // (DGQ_CPU_SHIFT=sample); the adjoint with psi snapshots
    // (DGQ_CPU_SNAPSHOT_MIB=64) vs the default sweep that un-applies blocks; cache-blocked overlap
    // passes with tiles far smaller than the state (DGQ_CPU_BLOCK=1: 16 rows,
    // so every n >= 5 has high qubits) vs unblocked (DGQ_CPU_BLOCK=0); the
    // forward with the entangler as a pass of its own (DGQ_CPU_FUSE_GATHER=0).
    {
        struct Env {
            const char* name;
            const char* value;
        };
        auto with_env = [&](std::initializer_list<Env> env, const Case& c, bool f64, int m, Result& r) {
            for (const auto& e : env) setenv(e.name, e.value, 1);
            const bool ok = run_cpu(c, f64, m, r);
            for (const auto& e : env) unsetenv(e.name);
            return ok;
        };
        for (int i = 0; i < 8; ++i) {
            const int n = 5 + i % 6;
            Case c = random_case(rng, n, 1 + i % 4, 3 + 7 * i);
            if (i == 0) c.c.n_rot = 1, c.c.rot[0] = DGQ_RY, c.c.encoding = DGQ_RY;  // real state
            c.w.resize(size_t(c.c.n_layers) * n * c.c.n_rot, 0.4);
            for (int f64 = 0; f64 < 2; ++f64) {
                const double tol = f64 ? 1e-9 : 1e-4;
                const std::string label = c.name + (f64 ? " f64" : " f32");
                Result lane, sample, snap, sweep, tiny, unblocked, sweep_tiny, nofuse;
                const bool ok = run_cpu(c, f64, DGQ_PARAMETER_SHIFT, lane) &&
                                with_env({{"DGQ_CPU_SHIFT", "sample"}}, c, f64, DGQ_PARAMETER_SHIFT, sample) &&
                                with_env({{"DGQ_CPU_SNAPSHOT_MIB", "64"}}, c, f64, DGQ_ADJOINT, snap) &&
                                run_cpu(c, f64, DGQ_ADJOINT, sweep) &&
                                with_env({{"DGQ_CPU_BLOCK", "1"}, {"DGQ_CPU_SNAPSHOT_MIB", "64"}}, c, f64,
                                         DGQ_ADJOINT, tiny) &&
                                with_env({{"DGQ_CPU_BLOCK", "0"}, {"DGQ_CPU_SNAPSHOT_MIB", "64"}}, c, f64,
                                         DGQ_ADJOINT, unblocked) &&
                                with_env({{"DGQ_CPU_BLOCK", "1"}}, c, f64, DGQ_ADJOINT, sweep_tiny) &&
                                with_env({{"DGQ_CPU_FUSE_GATHER", "0"}}, c, f64, DGQ_ADJOINT, nofuse);
                t.check(ok, label + " variants ran");
                if (!ok) continue;
                compare(t, lane, sample.z, sample.dx, sample.dw, tol, label + " lane shift vs per-sample shift");
                compare(t, snap, lane.z, lane.dx, lane.dw, tol, label + " adjoint (snapshots) vs lane shift");
                compare(t, sweep, snap.z, snap.dx, snap.dw, tol, label + " adjoint without snapshots");
                compare(t, tiny, snap.z, snap.dx, snap.dw, tol, label + " adjoint (snapshots), 16-row tiles");
                compare(t, unblocked, snap.z, snap.dx, snap.dw, tol, label + " adjoint (snapshots), unblocked");
                compare(t, sweep_tiny, snap.z, snap.dx, snap.dw, tol, label + " adjoint without snapshots, 16-row tiles");
                compare(t, nofuse, sweep.z, sweep.dx, sweep.dw, tol, label + " entangler not fused into the next sweep");
            }
        }
    }

    // Parameter shift on lanes: same bits for 1 and 2 threads at a size where
    // the shifted circuits are spread over the threads, and a row's results
    // do not depend on its position in the batch.
    for (int f64 = 0; f64 < 2; ++f64) {
        const Case c = random_case(rng, 9, 2, 21);
        Result r1, r2;
        dgq_cpu_set_threads(1);
        const bool ok1 = run_cpu(c, f64, DGQ_PARAMETER_SHIFT, r1);
        dgq_cpu_set_threads(2);
        const bool ok2 = run_cpu(c, f64, DGQ_PARAMETER_SHIFT, r2);
        dgq_cpu_set_threads(0);
        t.check(ok1 && ok2 && r1.dx == r2.dx && r1.dw == r2.dw,
                std::string("lane parameter shift n9: 1 vs 2 threads bitwise equal ") + (f64 ? "f64" : "f32"));
        bool same = ok1;
        for (int row : {0, 9, 20}) {
            Case one = c;
            one.B = 1;
            const int n = c.c.n_qubits;
            one.x.assign(c.x.begin() + row * n, c.x.begin() + (row + 1) * n);
            one.g.assign(c.g.begin() + row * n, c.g.begin() + (row + 1) * n);
            Result r;
            same = same && run_cpu(one, f64, DGQ_PARAMETER_SHIFT, r);
            for (int q = 0; same && q < n; ++q) same = r.dx[q] == r1.dx[size_t(row) * n + q];
        }
        t.check(same, std::string("lane parameter shift: row results independent of batch position ") +
                          (f64 ? "f64" : "f32"));
    }

    // n = 14 (the largest on-chip size of the GPU kernels): adjoint vs shift on one sample, 1 layer.
    {
        Case c = random_case(rng, 14, 1, 1);
        Result a, s;
        const bool ok = run_cpu(c, true, DGQ_ADJOINT, a) && run_cpu(c, true, DGQ_PARAMETER_SHIFT, s);
        t.check(ok, "n14 ran");
        if (ok) compare(t, s, a.z, a.dx, a.dw, 1e-9, "n14 shift vs adjoint f64");
    }
    // n = 16 and 18, the largest size of the lane kernels, and n = 19, the per-sample code above it.
    for (int n : {16, 18, 19}) {
        Case c = random_case(rng, n, 1, 2);
        c.c.n_rot = 1;  // parameter shift at n = 19 runs one sample at a time
        c.w.resize(size_t(n));
        Result a, s;
        const bool ok = run_cpu(c, true, DGQ_ADJOINT, a) && run_cpu(c, true, DGQ_PARAMETER_SHIFT, s);
        std::string label = "n";
        label += std::to_string(n);
        t.check(ok, label + " ran");
        if (ok) compare(t, s, a.z, a.dx, a.dw, 1e-9, label + " shift vs adjoint f64");
    }

    // Analytic check independent of the reference file: one qubit, RY(x) then
    // RZ(w): z = cos x, dz/dx = -sin x, dz/dw = 0.
    {
        Case c;
        c.c.n_qubits = 1;
        c.c.n_layers = 1;
        c.c.encoding = DGQ_RY;
        c.c.entangler = DGQ_ENT_RING;
        c.c.n_rot = 1;
        c.c.rot[0] = DGQ_RZ;
        c.B = 3;
        c.x = {0.3, -1.2, 2.5};
        c.w = {0.7};
        c.g = {1.0, 1.0, 1.0};
        std::vector<double> z, dx;
        for (double v : c.x) {
            z.push_back(std::cos(v));
            dx.push_back(-std::sin(v));
        }
        for (int m = 0; m < 2; ++m) {
            Result r;
            const bool ok = run_cpu(c, true, m, r);
            t.check(ok, "analytic n1 ran");
            if (ok) compare(t, r, z, dx, {0.0}, 1e-12, std::string("analytic n1 ") + (m ? "shift" : "adjoint"));
        }
    }

    // Error paths: clear codes and messages.
    {
        dgq_circuit bad{};
        bad.n_qubits = 0;
        bad.n_layers = 1;
        bad.n_rot = 1;
        float x[1] = {0}, w[1] = {0}, z[1];
        int rc = dgq_cpu_forward_f32(&bad, 1, x, w, z);
        t.check(rc == DGQ_ERR_INVALID && std::strstr(dgq_cpu_last_error(), "n_qubits") != nullptr,
                std::string("n_qubits=0 rejected: ") + dgq_cpu_last_error());
        bad.n_qubits = 40;
        rc = dgq_cpu_forward_f32(&bad, 1, x, w, z);
        t.check(rc == DGQ_ERR_UNSUPPORTED, std::string("n_qubits=40 unsupported: ") + dgq_cpu_last_error());
        dgq_circuit ok = cases[0].c;
        float dx[1], dw[1], g[1] = {1};
        rc = dgq_cpu_backward_f32(&ok, 1, x, w, g, dx, dw, 7);
        t.check(rc == DGQ_ERR_INVALID && std::strstr(dgq_cpu_last_error(), "method") != nullptr,
                "bad method rejected");
        ok.rot[0] = 9;
        rc = dgq_cpu_forward_f32(&ok, 1, x, w, z);
        t.check(rc == DGQ_ERR_INVALID, "bad rotation code rejected");
        // an empty batch is valid: the weight gradient is overwritten with zeros
        const dgq_circuit c0 = cases[0].c;
        float dw0[1] = {5.f};
        rc = dgq_cpu_backward_f32(&c0, 0, nullptr, w, nullptr, nullptr, dw0, DGQ_ADJOINT);
        t.check(rc == DGQ_OK && dw0[0] == 0.f, "batch 0: dw overwritten with 0");
    }
    return t.finish("test_cpu");
}
