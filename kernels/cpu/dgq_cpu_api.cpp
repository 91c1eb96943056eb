// C ABI of libdgq_cpu.so: error state, thread setting, and the choice between
// the baseline and the AVX2+FMA build of dgq_cpu.cpp (made once, at first use).
// DGQ_CPU_ISA=base forces the baseline build (used by the tests).
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

bool use_avx2() {
#if defined(DGQ_HAVE_AVX2_VARIANT)
    static const bool v = [] {
        const char* e = std::getenv("DGQ_CPU_ISA");
        if (e && std::strcmp(e, "base") == 0) return false;
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return v;
#else
    return false;
#endif
}

}  // namespace

#if defined(DGQ_HAVE_AVX2_VARIANT)
#define DGQ_DISPATCH(fn, ...) \
    (use_avx2() ? dgq_cpu_detail::isa_avx2::fn(__VA_ARGS__) : dgq_cpu_detail::isa_base::fn(__VA_ARGS__))
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

// Which build serves the calls: "avx2" or "base" (for logs and benchmarks).
const char* dgq_cpu_isa(void) { return use_avx2() ? "avx2" : "base"; }

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
