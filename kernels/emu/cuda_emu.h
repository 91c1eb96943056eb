// cuda_emu.h - run CUDA kernels on the CPU, for tests without a GPU.
//
// The .cu sources include this header instead of the CUDA headers when they
// are compiled by a plain C++20 compiler. Blocks run one after another. The
// threads of a block run either
//   - as fibers (ucontext, the default): deterministic; every __syncthreads()
//     is checked: all threads must reach it, from the same source line, or the
//     process aborts naming both places ("EMU ABORT: ..."); or
//   - as OS threads with a real barrier (Mode::Threads), so that a
//     ThreadSanitizer build sees the kernel's actual memory accesses.
// Dynamic shared memory is filled with 0xFF bytes (a NaN in float and double)
// before each block, so reads of never-written shared memory show up as NaN.
// Static __shared__ variables become function-local statics (shared by the
// block's threads, kept between blocks, not poisoned).
// Supported: __global__/__device__/__host__/__shared__, threadIdx, blockIdx,
// blockDim, gridDim, __syncthreads, __syncwarp, __shfl_sync/_up/_down/_xor,
// atomicAdd/atomicMax/atomicCAS/atomicExch, a minimal runtime API (malloc,
// memcpy, memset, attributes, errors) and the DGQ_LAUNCH macro.
// Launches run synchronously on the calling thread, so an "asynchronous" call
// is complete when it returns. Streams are opaque handles: any value (NULL or
// a fake such as 0x3000) is accepted and never dereferenced. Launches from
// different host threads are serialised (one process-wide lock), so the
// emulated library (libdgq_cuda_emu.so) may be called from any thread.
#pragma once
#define DGQ_CUDA_EMU 1

#include <setjmp.h>
#include <ucontext.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __shared__ static
#define __align__(n) alignas(n)
#define __launch_bounds__(...)
#define __restrict__ __restrict

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint3 {
    unsigned x, y, z;
};

// ---- minimal runtime API ----
enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorLaunchOutOfResources = 701,
};
typedef struct CUstream_st* cudaStream_t;
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };
enum cudaDeviceAttr {
    cudaDevAttrMaxSharedMemoryPerBlock = 8,
    cudaDevAttrMultiProcessorCount = 16,
    cudaDevAttrMaxSharedMemoryPerBlockOptin = 97,
};
enum cudaMemcpyKind { cudaMemcpyHostToHost, cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice, cudaMemcpyDefault };

namespace emu {

enum class Mode { Fibers, Threads };

struct Config {
    Mode mode = Mode::Fibers;
    bool reverse_order = false;        // fibers: schedule threads in reverse order (perturbation)
    int max_optin_smem = 232448;       // like an H100 (227 KiB); tests lower it to model other GPUs
    int sm_count = 132;
    int thread_timeout_s = 300;        // Mode::Threads: a barrier wait longer than this aborts (generous: loaded CI)
};
inline Config& config() {
    static Config c;
    return c;
}

[[noreturn]] inline void die(const std::string& msg) {
    std::fprintf(stderr, "EMU ABORT: %s\n", msg.c_str());
    std::fflush(stderr);
    std::abort();
}

inline cudaError_t& last_error() {
    static thread_local cudaError_t e = cudaSuccess;
    return e;
}

// Where a thread waits or ended up.
enum class State { Runnable, AtBlockBarrier, AtWarpBarrier, Done };

struct Thread {
    uint3 tid{};
    int linear = 0;
    State state = State::Runnable;
    const char* file = "";
    int line = 0;
    unsigned mask = 0;  // warp barrier participants
    bool started = false;
    ucontext_t uc{};  // first entry of a fiber
    jmp_buf jb;       // later switches: _setjmp/_longjmp, no signal-mask system call
};

struct BlockInfo {
    uint3 idx{};
    dim3 dim, grid;
    unsigned char* dyn_smem = nullptr;
    size_t dyn_bytes = 0;
    int nthreads = 0;
    std::vector<Thread> threads;
    // warp shuffle exchange: one 8-byte slot per thread
    std::vector<uint64_t> exch;
};
inline BlockInfo& blk() {
    static BlockInfo b;
    return b;
}
inline thread_local Thread* tls_cur = nullptr;
inline Thread* cur() { return tls_cur; }

// ---- fiber scheduler ----
struct Fibers {
    jmp_buf main_jb;
    std::vector<char*> stacks;
    static constexpr size_t kStack = 256 * 1024;
    const std::function<void()>* body = nullptr;

    static Fibers& get() {
        static Fibers f;
        return f;
    }
    static void trampoline() {
        Fibers& f = get();
        (*f.body)();
        tls_cur->state = State::Done;
        _longjmp(f.main_jb, 1);  // this fiber's stack is abandoned
    }
    void yield_to_scheduler() {
        if (!_setjmp(tls_cur->jb)) _longjmp(main_jb, 1);
    }
    // Runs fiber t until it blocks or ends; kept out of line so that the
    // setjmp frame is this small function only.
    __attribute__((noinline)) void switch_to(Thread& t) {
        tls_cur = &t;
        if (!_setjmp(main_jb)) {
            if (!t.started) {
                t.started = true;
                setcontext(&t.uc);
            }
            _longjmp(t.jb, 1);
        }
        tls_cur = nullptr;
    }

    static std::string where(const Thread& t) {
        char buf[320];
        if (t.state == State::Done)
            std::snprintf(buf, sizeof buf, "thread %d (%u,%u,%u) exited the kernel (returned early?)", t.linear,
                          t.tid.x, t.tid.y, t.tid.z);
        else
            std::snprintf(buf, sizeof buf, "thread %d (%u,%u,%u) waits at %s %s:%d", t.linear, t.tid.x, t.tid.y,
                          t.tid.z, t.state == State::AtWarpBarrier ? "a warp sync" : "__syncthreads()", t.file,
                          t.line);
        return buf;
    }

    // Releases a warp whose participating lanes all wait at a warp barrier.
    bool release_warps(BlockInfo& b) {
        bool any = false;
        for (int w0 = 0; w0 < b.nthreads; w0 += 32) {
            for (int l = w0; l < b.nthreads && l < w0 + 32; ++l) {
                Thread& t = b.threads[l];
                if (t.state != State::AtWarpBarrier) continue;
                bool all = true;
                for (int j = 0; j < 32; ++j)
                    if ((t.mask >> j) & 1u) {
                        const int o = w0 + j;
                        if (o >= b.nthreads || b.threads[o].state != State::AtWarpBarrier) all = false;
                    }
                if (!all) continue;
                for (int j = 0; j < 32; ++j)
                    if ((t.mask >> j) & 1u) b.threads[w0 + j].state = State::Runnable;
                any = true;
            }
        }
        return any;
    }

    void run_block(BlockInfo& b, const std::function<void()>& fn) {
        body = &fn;
        const int n = b.nthreads;
        while (int(stacks.size()) < n) {
            char* s = static_cast<char*>(std::malloc(kStack));
            if (!s) die("cannot allocate fiber stacks");
            stacks.push_back(s);
        }
        for (int i = 0; i < n; ++i) {
            Thread& t = b.threads[i];
            t.state = State::Runnable;
            t.started = false;
            getcontext(&t.uc);
            t.uc.uc_stack.ss_sp = stacks[i];
            t.uc.uc_stack.ss_size = kStack;
            t.uc.uc_link = nullptr;
            makecontext(&t.uc, &Fibers::trampoline, 0);
        }
        const bool rev = config().reverse_order;
        for (;;) {
            // run every runnable fiber until it blocks or ends
            for (int k = 0; k < n; ++k) {
                Thread& t = b.threads[rev ? n - 1 - k : k];
                if (t.state != State::Runnable) continue;
                switch_to(t);
            }
            if (release_warps(b)) continue;
            int done = 0, at_bar = 0;
            for (const Thread& t : b.threads) {
                done += t.state == State::Done;
                at_bar += t.state == State::AtBlockBarrier;
            }
            if (done == n) return;
            if (at_bar == n) {
                const Thread& a = b.threads[0];
                for (const Thread& t : b.threads)
                    if (t.line != a.line || std::strcmp(t.file, a.file) != 0)
                        die("__syncthreads() reached from different source lines: " + where(a) + "; " + where(t));
                for (Thread& t : b.threads) t.state = State::Runnable;
                continue;
            }
            // nothing can move: some thread waits at a barrier the others never reach
            const Thread* waiting = nullptr;
            const Thread* other = nullptr;
            for (const Thread& t : b.threads)
                if (t.state == State::AtBlockBarrier || t.state == State::AtWarpBarrier) {
                    waiting = &t;
                    break;
                }
            for (const Thread& t : b.threads)
                if (waiting && (t.state != waiting->state || t.line != waiting->line || std::strcmp(t.file, waiting->file) != 0)) {
                    other = &t;
                    break;
                }
            die("barrier deadlock in block (" + std::to_string(b.idx.x) + "," + std::to_string(b.idx.y) + "): " +
                (waiting ? where(*waiting) : std::string("?")) + "; " + (other ? where(*other) : std::string("?")));
        }
    }
};

// ---- OS-thread mode ----
// Arrivals are counted under a mutex; waiters then spin on an atomic
// generation (acquire). Waking must not re-take the mutex: otherwise a fast
// thread's next arrival would order a slow waker's kernel code after the fast
// thread's, and ThreadSanitizer would miss real races between them.
struct ThreadBarrier {
    std::mutex m;
    std::atomic<unsigned> gen{0};
    int count = 0, expected = 0;
    const char* file = nullptr;
    int line = 0;
    int first_thread = 0;

    void wait(int self, const char* f, int l) {
        unsigned g;
        {
            std::lock_guard<std::mutex> lk(m);
            if (count == 0) {
                file = f;
                line = l;
                first_thread = self;
            } else if (l != line || std::strcmp(f, file) != 0) {
                die(std::string("__syncthreads() reached from different places: thread ") +
                    std::to_string(first_thread) + " at " + file + ":" + std::to_string(line) + "; thread " +
                    std::to_string(self) + " at " + f + ":" + std::to_string(l));
            }
            g = gen.load(std::memory_order_relaxed);
            if (++count == expected) {
                count = 0;
                gen.fetch_add(1, std::memory_order_release);
                return;
            }
        }
        const auto t0 = std::chrono::steady_clock::now();
        for (unsigned spin = 0; gen.load(std::memory_order_acquire) == g; ++spin) {
            std::this_thread::yield();
            if ((spin & 1023) == 1023 &&
                std::chrono::steady_clock::now() - t0 > std::chrono::seconds(config().thread_timeout_s))
                die(std::string("barrier timeout: thread ") + std::to_string(self) + " waits at " + f + ":" +
                    std::to_string(l) + "; some thread never arrived");
        }
    }
};

struct Threads {
    ThreadBarrier block_bar;
    std::vector<ThreadBarrier> warp_bar;
    static Threads& get() {
        static Threads t;
        return t;
    }
};

// ---- the operations kernels call ----
inline void syncthreads(const char* file, int line) {
    Thread* t = cur();
    if (config().mode == Mode::Fibers) {
        t->file = file;
        t->line = line;
        t->state = State::AtBlockBarrier;
        Fibers::get().yield_to_scheduler();
    } else {
        Threads::get().block_bar.wait(t->linear, file, line);
    }
}

inline void syncwarp(unsigned mask, const char* file, int line) {
    Thread* t = cur();
    const int lane = t->linear & 31;
    if (!((mask >> lane) & 1u)) die(std::string("warp sync with a mask that excludes the calling lane at ") + file + ":" + std::to_string(line));
    if (config().mode == Mode::Fibers) {
        t->file = file;
        t->line = line;
        t->mask = mask;
        t->state = State::AtWarpBarrier;
        Fibers::get().yield_to_scheduler();
    } else {
        // all lanes of a warp use the same mask in these kernels; the barrier expects its popcount
        ThreadBarrier& b = Threads::get().warp_bar[size_t(t->linear / 32)];
        {
            std::lock_guard<std::mutex> lk(b.m);
            if (b.count == 0) b.expected = __builtin_popcount(mask);
        }
        b.wait(t->linear, file, line);
    }
}

template <class T>
T shfl_impl(unsigned mask, T v, int src_lane_in_warp, const char* file, int line) {
    static_assert(sizeof(T) <= 8, "shuffle of types up to 8 bytes");
    BlockInfo& b = blk();
    Thread* t = cur();
    const int wbase = t->linear & ~31;
    uint64_t raw = 0;
    std::memcpy(&raw, &v, sizeof(T));
    b.exch[size_t(t->linear)] = raw;
    syncwarp(mask, file, line);  // all values written
    T out;
    const uint64_t got = b.exch[size_t(wbase + src_lane_in_warp)];
    std::memcpy(&out, &got, sizeof(T));
    syncwarp(mask, file, line);  // all values read before the slots are reused
    return out;
}

inline int lane_id() { return cur()->linear & 31; }

// Runs kernel body fn for every block and thread.
inline cudaError_t run_grid(dim3 grid, dim3 block, size_t smem, const std::function<void()>& fn) {
    const long nthreads = long(block.x) * block.y * block.z;
    if (nthreads <= 0 || nthreads > 1024 || grid.x == 0 || grid.y == 0 || grid.z == 0)
        return cudaErrorInvalidConfiguration;
    BlockInfo& b = blk();
    b.dim = block;
    b.grid = grid;
    b.nthreads = int(nthreads);
    b.threads.assign(size_t(nthreads), Thread{});
    b.exch.assign(size_t(nthreads), 0);
    for (int i = 0; i < nthreads; ++i) {
        Thread& t = b.threads[size_t(i)];
        t.linear = i;
        t.tid = {unsigned(i) % block.x, (unsigned(i) / block.x) % block.y, unsigned(i) / (block.x * block.y)};
    }
    std::vector<unsigned char> smem_buf(smem + 16);
    b.dyn_smem = smem_buf.data();
    b.dyn_bytes = smem;
    auto set_block = [&](long bi) {
        b.idx = {unsigned(bi % grid.x), unsigned((bi / grid.x) % grid.y), unsigned(bi / (long(grid.x) * grid.y))};
        std::memset(smem_buf.data(), 0xFF, smem_buf.size());  // NaN bytes: unwritten reads show
    };
    const long nblocks = long(grid.x) * grid.y * grid.z;
    if (config().mode == Mode::Fibers) {
        for (long bi = 0; bi < nblocks; ++bi) {
            set_block(bi);
            Fibers::get().run_block(b, fn);
        }
    } else {
        Threads& T = Threads::get();
        T.block_bar.expected = int(nthreads);
        T.block_bar.count = 0;
        T.warp_bar = std::vector<ThreadBarrier>(size_t((nthreads + 31) / 32));
        std::vector<std::thread> pool;
        static const char* kBlockStart = "<block start>";
        static const char* kKernelEnd = "<end of kernel: thread returned>";
        for (int i = 0; i < nthreads; ++i) {
            pool.emplace_back([&, i] {
                tls_cur = &b.threads[size_t(i)];
                for (long bi = 0; bi < nblocks; ++bi) {
                    if (i == 0) set_block(bi);
                    T.block_bar.wait(i, kBlockStart, 0);
                    fn();
                    T.block_bar.wait(i, kKernelEnd, 0);
                }
                tls_cur = nullptr;
            });
        }
        for (auto& th : pool) th.join();
    }
    b.dyn_smem = nullptr;
    return cudaSuccess;
}

inline std::map<const void*, int>& func_max_smem() {
    static std::map<const void*, int> m;
    return m;
}

// The block state, the fiber scheduler and the attribute map are process
// globals: one launch (or attribute change) at a time.
inline std::mutex& launch_mutex() {
    static std::mutex m;
    return m;
}

// What the calling thread launched last (for tests: grid-stride loops, "no launch").
struct LaunchRecord {
    long launches = 0;
    dim3 grid{0, 0, 0}, block{0, 0, 0};
};
inline LaunchRecord& launch_record() {
    static thread_local LaunchRecord r;
    return r;
}

template <class... KArgs, class... Args>
void launch(void (*kernel)(KArgs...), dim3 grid, dim3 block, size_t smem, Args&&... args) {
    std::lock_guard<std::mutex> lock(launch_mutex());
    LaunchRecord& rec = launch_record();
    ++rec.launches;
    rec.grid = grid;
    rec.block = block;
    // like the hardware: more than 48 KiB of dynamic shared memory needs the attribute
    auto it = func_max_smem().find(reinterpret_cast<const void*>(kernel));
    const int allowed = it == func_max_smem().end() ? 49152 : it->second;
    if (smem > size_t(allowed)) {
        last_error() = cudaErrorInvalidValue;
        return;
    }
    std::tuple<KArgs...> params(std::forward<Args>(args)...);
    const std::function<void()> fn = [&] { std::apply(kernel, params); };
    const cudaError_t e = run_grid(grid, block, smem, fn);
    if (e != cudaSuccess) last_error() = e;
}

inline unsigned char* dynamic_shared() { return blk().dyn_smem; }

}  // namespace emu

#define threadIdx (::emu::cur()->tid)
#define blockIdx (::emu::blk().idx)
#define blockDim (::emu::blk().dim)
#define gridDim (::emu::blk().grid)
#define warpSize 32
#define __syncthreads() ::emu::syncthreads(__FILE__, __LINE__)
#define __syncwarp(...) ::emu::syncwarp(::emu::mask_or_full(__VA_ARGS__), __FILE__, __LINE__)
#define __shfl_sync(mask, v, src, ...) ::emu::shfl_impl((mask), (v), ::emu::src_lane_idx((src), ##__VA_ARGS__), __FILE__, __LINE__)
#define __shfl_xor_sync(mask, v, m, ...) ::emu::shfl_impl((mask), (v), ::emu::src_lane_xor((m), ##__VA_ARGS__), __FILE__, __LINE__)
#define __shfl_down_sync(mask, v, d, ...) ::emu::shfl_impl((mask), (v), ::emu::src_lane_down((d), ##__VA_ARGS__), __FILE__, __LINE__)
#define __shfl_up_sync(mask, v, d, ...) ::emu::shfl_impl((mask), (v), ::emu::src_lane_up((d), ##__VA_ARGS__), __FILE__, __LINE__)
// the dynamic shared memory array of the kernel (extern __shared__ on the GPU)
#define DGQ_EXTERN_SHARED(type, name) type* name = reinterpret_cast<type*>(::emu::dynamic_shared())
// the stream is evaluated (so it counts as used) but never looked at: an opaque handle
#define DGQ_LAUNCH(kernel, grid, block, smem, stream, ...) \
    ((void)(stream), ::emu::launch(kernel, grid, block, smem, __VA_ARGS__))

namespace emu {
inline unsigned mask_or_full(unsigned m = 0xffffffffu) { return m; }
// source lanes as the hardware computes them (width = segment size, a power of two)
inline int src_lane_idx(int src, int width = 32) { return (lane_id() & ~(width - 1)) + (src & (width - 1)); }
inline int src_lane_xor(int m, int width = 32) {
    const int l = lane_id(), s = l ^ m;
    return (s & ~(width - 1)) == (l & ~(width - 1)) ? s : l;
}
inline int src_lane_down(int d, int width = 32) {
    const int l = lane_id(), s = l + d;
    return (s & ~(width - 1)) == (l & ~(width - 1)) ? s : l;
}
inline int src_lane_up(int d, int width = 32) {
    const int l = lane_id(), s = l - d;
    return s >= (l & ~(width - 1)) ? s : l;
}
}  // namespace emu

// ---- atomics (std::atomic_ref, so ThreadSanitizer understands them) ----
template <class T>
inline T atomicAdd(T* p, T v) {
    return std::atomic_ref<T>(*p).fetch_add(v);
}
template <class T>
inline T atomicExch(T* p, T v) {
    return std::atomic_ref<T>(*p).exchange(v);
}
template <class T>
inline T atomicCAS(T* p, T expected, T desired) {
    std::atomic_ref<T>(*p).compare_exchange_strong(expected, desired);
    return expected;
}
template <class T>
inline T atomicMax(T* p, T v) {
    std::atomic_ref<T> r(*p);
    T old = r.load();
    while (old < v && !r.compare_exchange_weak(old, v)) {
    }
    return old;
}
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }

// ---- runtime API on host memory ----
inline cudaError_t cudaGetLastError() {
    cudaError_t e = emu::last_error();
    emu::last_error() = cudaSuccess;
    return e;
}
inline cudaError_t cudaPeekAtLastError() { return emu::last_error(); }
inline const char* cudaGetErrorString(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "no error (emulated)";
        case cudaErrorInvalidValue: return "invalid argument (emulated)";
        case cudaErrorMemoryAllocation: return "out of memory (emulated)";
        case cudaErrorInvalidConfiguration: return "invalid configuration argument (emulated)";
        default: return "launch out of resources (emulated)";
    }
}
inline cudaError_t cudaGetDevice(int* d) {
    *d = 0;
    return cudaSuccess;
}
inline cudaError_t cudaDeviceGetAttribute(int* v, cudaDeviceAttr a, int) {
    switch (a) {
        case cudaDevAttrMaxSharedMemoryPerBlock: *v = 49152; break;
        case cudaDevAttrMaxSharedMemoryPerBlockOptin: *v = emu::config().max_optin_smem; break;
        case cudaDevAttrMultiProcessorCount: *v = emu::config().sm_count; break;
        default: return cudaErrorInvalidValue;
    }
    return cudaSuccess;
}
template <class K>
inline cudaError_t cudaFuncSetAttribute(K* kernel, cudaFuncAttribute attr, int value) {
    if (attr != cudaFuncAttributeMaxDynamicSharedMemorySize) return cudaErrorInvalidValue;
    if (value > emu::config().max_optin_smem) return cudaErrorInvalidValue;
    std::lock_guard<std::mutex> lock(emu::launch_mutex());
    emu::func_max_smem()[reinterpret_cast<const void*>(kernel)] = value;
    return cudaSuccess;
}
inline cudaError_t cudaMalloc(void** p, size_t n) {
    *p = std::malloc(n ? n : 1);
    if (!*p) return cudaErrorMemoryAllocation;
    std::memset(*p, 0xFF, n);  // like fresh device memory: garbage, here NaN bytes
    return cudaSuccess;
}
template <class T>
inline cudaError_t cudaMalloc(T** p, size_t n) {
    return cudaMalloc(reinterpret_cast<void**>(p), n);
}
inline cudaError_t cudaFree(void* p) {
    std::free(p);
    return cudaSuccess;
}
inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind) {
    std::memmove(d, s, n);
    return cudaSuccess;
}
inline cudaError_t cudaMemset(void* d, int v, size_t n) {
    std::memset(d, v, n);
    return cudaSuccess;
}
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }  // launches already finished
inline cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
