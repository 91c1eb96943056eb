// test_emu_so: libdgq_cuda_emu.so as the Java tests use it: loaded with dlopen
// (no link-time dependency, no init call), fake stream handles, calls from
// threads other than the loading one, in sequence and at the same time.
//   test_emu_so path/to/libdgq_cuda_emu.so [pqc_cases.json]
#include <dgq/dgq.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "test_common.h"

using namespace dgqtest;

namespace {

using AbiFn = int (*)();
using ErrFn = const char* (*)();
using FwdFn = int (*)(const dgq_circuit*, int, const double*, const double*, double*, void*);
using TanhFn = int (*)(int64_t, const double*, double*, void*);
using TanhBwdFn = int (*)(int64_t, const double*, const double*, double*, void*);

struct Lib {
    AbiFn abi = nullptr;
    ErrFn last_error = nullptr;
    FwdFn forward = nullptr;
    TanhFn pi_tanh = nullptr;
    TanhBwdFn pi_tanh_backward = nullptr;
};

template <class F>
bool sym(void* h, const char* name, F& out) {
    out = reinterpret_cast<F>(dlsym(h, name));
    if (!out) std::printf("missing symbol %s\n", name);
    return out != nullptr;
}

// A stream handle that is not a real stream (the Java tests' stub driver hands these out).
void* const kFakeStream = reinterpret_cast<void*>(0x3000);

// z of the reference case; false if the library reported an error.
bool forward(const Lib& lib, const Case& c, std::vector<double>& z) {
    z.assign(size_t(c.B) * c.c.n_qubits, -7.0);
    const int rc = lib.forward(&c.c, c.B, c.x.data(), c.w.data(), z.data(), kFakeStream);
    if (rc != DGQ_OK) std::printf("forward error %d: %s\n", rc, lib.last_error());
    return rc == DGQ_OK;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: test_emu_so libdgq_cuda_emu.so [pqc_cases.json]\n");
        return 2;
    }
    void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        std::printf("FAIL dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    Lib lib;
    if (!(sym(h, "dgq_cuda_abi_version", lib.abi) && sym(h, "dgq_cuda_last_error", lib.last_error) &&
          sym(h, "dgq_cuda_forward_f64", lib.forward) && sym(h, "dgq_cuda_pi_tanh_f64", lib.pi_tanh) &&
          sym(h, "dgq_cuda_pi_tanh_backward_f64", lib.pi_tanh_backward)))
        return 1;
    const auto cases = load_cases(data_path(argc - 1, argv + 1));
    const Case& c = cases[0];
    Tally t;
    t.check(lib.abi() == DGQ_ABI_VERSION, "abi version " + std::to_string(lib.abi()));
    t.check(dlsym(h, "dgq_forward_f64") == nullptr, "raw kernel symbols are not exported");

    // one forward on the reference case
    std::vector<double> z0;
    const bool ok = forward(lib, c, z0);
    t.check(ok, c.name + " forward ran");
    if (ok) t.expect_close(max_err(z0, c.z), 1e-9, c.name + " forward vs reference");

    // one pi_tanh and its backward, in place
    {
        const double pi = 3.14159265358979323846;
        std::vector<double> v = {-3.0, -0.5, 0.0, 0.25, 2.0}, g = {1.0, -2.0, 0.5, 3.0, -1.0};
        const std::vector<double> pre = v, g0 = g;
        int rc = lib.pi_tanh(int64_t(v.size()), v.data(), v.data(), kFakeStream);
        if (rc == DGQ_OK) rc = lib.pi_tanh_backward(int64_t(v.size()), v.data(), g.data(), g.data(), kFakeStream);
        t.check(rc == DGQ_OK, std::string("pi_tanh ran: ") + lib.last_error());
        double e = 0;
        for (size_t i = 0; i < v.size(); ++i) {
            const double th = pi * std::tanh(pre[i]);
            e = std::max({e, std::fabs(v[i] - th), std::fabs(g[i] - g0[i] * pi * (1 - (th / pi) * (th / pi)))});
        }
        t.expect_close(e, 1e-12, "pi_tanh f64 and backward vs loop");
        t.check(lib.pi_tanh(-1, v.data(), v.data(), kFakeStream) == DGQ_ERR_INVALID &&
                    std::strstr(lib.last_error(), "count") != nullptr,
                std::string("count < 0 rejected with a message: ") + lib.last_error());
    }

    // the same forward from other threads: once alone, then two at a time, several calls each
    if (ok) {
        bool same1 = false;
        std::thread([&] {
            std::vector<double> z;
            same1 = forward(lib, c, z) && z == z0;
        }).join();
        t.check(same1, "forward from a second thread, bitwise equal");
        bool same[2] = {true, true};
        std::thread a[2];
        for (int k = 0; k < 2; ++k)
            a[k] = std::thread([&, k] {
                for (int rep = 0; rep < 3; ++rep) {
                    std::vector<double> z;
                    same[k] = same[k] && forward(lib, c, z) && z == z0;
                }
            });
        for (auto& th : a) th.join();
        t.check(same[0] && same[1], "forward from two concurrent threads x 3 calls, bitwise equal");
    }
    dlclose(h);
    return t.finish("test_emu_so");
}
