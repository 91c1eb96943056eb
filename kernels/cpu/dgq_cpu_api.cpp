// C ABI of libdgq_cpu.so: error state, thread setting, and the choice between
// the builds of dgq_cpu.cpp (baseline x86-64, AVX2+FMA, AVX-512), made once,
// at first use. DGQ_CPU_ISA=base|avx2|avx512 forces one where the CPU has it
// (used by the tests and benchmarks); a forced build the CPU lacks is ignored.
#include <cstdlib>
#include <cstring>

#include "dgq_cpu_detail.h"

namespace dgq_cpu_detail {

namespace {
thread_local std::string g_error;
thread_local int g_threads = 0;
}  // namespace

int fail(int code, const std::string& msg) {
    g_error = msg;
    return code;
}
int threads() { return g_threads; }

}  // namespace dgq_cpu_detail

namespace {

enum Isa { kBase = 0, kAvx2 = 1, kAvx512 = 2 };

Isa pick_isa() {
    bool avx2 = false, avx512 = false;
#if defined(DGQ_HAVE_AVX2_VARIANT)
    __builtin_cpu_init();
    avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#if defined(DGQ_HAVE_AVX512_VARIANT)
    avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl");
#endif
#endif
    if (const char* e = std::getenv("DGQ_CPU_ISA")) {
        if (std::strcmp(e, "base") == 0) return kBase;
        if (std::strcmp(e, "avx2") == 0 && avx2) return kAvx2;
        if (std::strcmp(e, "avx512") == 0 && avx512) return kAvx512;
    }
    // The widest build the CPU runs: AVX-512 measured 1.6-2.9x the AVX2 build (docs/kernels.md).
    return avx512 ? kAvx512 : avx2 ? kAvx2 : kBase;
}

Isa isa() {
    static const Isa v = pick_isa();
    return v;
}

}  // namespace

#if defined(DGQ_HAVE_AVX512_VARIANT)
#define DGQ_DISPATCH(fn, ...)                                                                     \
    (isa() == kAvx512 ? dgq_cpu_detail::isa_avx512::fn(__VA_ARGS__)                              \
                      : isa() == kAvx2 ? dgq_cpu_detail::isa_avx2::fn(__VA_ARGS__)                \
                                       : dgq_cpu_detail::isa_base::fn(__VA_ARGS__))
#elif defined(DGQ_HAVE_AVX2_VARIANT)
#define DGQ_DISPATCH(fn, ...) \
    (isa() == kAvx2 ? dgq_cpu_detail::isa_avx2::fn(__VA_ARGS__) : dgq_cpu_detail::isa_base::fn(__VA_ARGS__))
#else
#define DGQ_DISPATCH(fn, ...) dgq_cpu_detail::isa_base::fn(__VA_ARGS__)
#endif

extern "C" {

const char* dgq_cpu_last_error(void) { return dgq_cpu_detail::g_error.c_str(); }
int dgq_cpu_abi_version(void) { return DGQ_ABI_VERSION; }

int dgq_cpu_set_threads(int threads) {
    if (threads < 0) return dgq_cpu_detail::fail(DGQ_ERR_INVALID, "threads must be >= 0");
    dgq_cpu_detail::g_threads = threads;
    return DGQ_OK;
}

// Which build serves the calls: "avx512", "avx2" or "base" (for logs and benchmarks).
const char* dgq_cpu_isa(void) {
    switch (isa()) {
        case kAvx512: return "avx512";
        case kAvx2: return "avx2";
        default: return "base";
    }
}

int dgq_cpu_forward_f32(const dgq_circuit* c, int batch, const float* x, const float* w, float* z) {
    return DGQ_DISPATCH(forward_f32, c, batch, x, w, z);
}
int dgq_cpu_forward_f64(const dgq_circuit* c, int batch, const double* x, const double* w, double* z) {
    return DGQ_DISPATCH(forward_f64, c, batch, x, w, z);
}
int dgq_cpu_backward_f32(const dgq_circuit* c, int batch, const float* x, const float* w, const float* g,
                         float* dx, float* dw, int method) {
    return DGQ_DISPATCH(backward_f32, c, batch, x, w, g, dx, dw, method);
}
int dgq_cpu_backward_f64(const dgq_circuit* c, int batch, const double* x, const double* w, const double* g,
                         double* dx, double* dw, int method) {
    return DGQ_DISPATCH(backward_f64, c, batch, x, w, g, dx, dw, method);
}

}  // extern "C"
