// Internal: state shared by the ISA variants of the CPU library and the
// per-variant entry points that dgq_cpu_api.cpp dispatches to.
#pragma once

#include <dgq/dgq.h>

#include <string>

namespace dgq_cpu_detail {

int fail(int code, const std::string& msg);  // sets dgq_cpu_last_error(), returns code
int threads();                               // dgq_cpu_set_threads() value of this thread

#define DGQ_CPU_VARIANT_DECLS                                                                                   \
    int forward_f32(const dgq_circuit*, int, const float*, const float*, float*);                               \
    int forward_f64(const dgq_circuit*, int, const double*, const double*, double*);                            \
    int backward_f32(const dgq_circuit*, int, const float*, const float*, const float*, float*, float*, int);    \
    int backward_f64(const dgq_circuit*, int, const double*, const double*, const double*, double*, double*, int);

namespace isa_base {
DGQ_CPU_VARIANT_DECLS
}
namespace isa_avx2 {
DGQ_CPU_VARIANT_DECLS
}
namespace isa_avx512 {
DGQ_CPU_VARIANT_DECLS
}

}  // namespace dgq_cpu_detail
