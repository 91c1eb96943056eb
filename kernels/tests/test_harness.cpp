// test_harness: tests of the CUDA-on-CPU emulator itself. Broken kernels run
// in a forked child whose stderr is checked for the emulator's (or, in the
// ThreadSanitizer build, TSan's) report naming the right source lines.
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "cuda_emu.h"
#include "harness_kernels.h"
#include "test_common.h"

using dgqtest::Tally;

struct ChildResult {
    bool aborted = false;  // killed by a signal or non-zero exit
    std::string err;
};

// Runs fn in a child process, capturing its stderr.
static ChildResult in_child(const std::function<void()>& fn) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn();
        std::fflush(nullptr);
        _exit(0);
    }
    close(fds[1]);
    ChildResult r;
    char buf[4096];
    ssize_t k;
    while ((k = read(fds[0], buf, sizeof buf)) > 0) r.err.append(buf, size_t(k));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.aborted = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
    return r;
}

static bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }
static std::string at_line(int line) { return "harness_kernels.cu:" + std::to_string(line); }

static void correct_kernels(Tally& t, const char* mode) {
    const std::string m = std::string(" [") + mode + "]";
    {
        const int blocks = 2, threads = 64;
        std::vector<float> in(blocks * threads), out(in.size(), 0.f);
        for (size_t i = 0; i < in.size(); ++i) in[i] = float(i);
        launch_reverse(false, blocks, threads, in.data(), out.data());
        bool ok = true;
        for (int b = 0; b < blocks; ++b)
            for (int i = 0; i < threads; ++i) ok &= out[b * threads + i] == in[b * threads + threads - 1 - i];
        t.check(ok, "reverse through shared memory with a barrier is correct" + m);
    }
    {
        const int threads = 64;
        std::vector<int> in(threads), sums(threads), down(threads), up(threads), bc(threads);
        int counter = 0;
        for (int i = 0; i < threads; ++i) in[i] = i * i + 1;
        launch_warp_ops(threads, in.data(), sums.data(), down.data(), up.data(), bc.data(), &counter);
        bool ok = true;
        int total = 0;
        for (int i = 0; i < threads; ++i) total += in[i];
        for (int i = 0; i < threads; ++i) {
            const int w = i / 32 * 32, lane = i % 32;
            int ws = 0;
            for (int j = 0; j < 32; ++j) ws += in[w + j];
            ok &= sums[i] == ws;
            ok &= down[i] == (lane + 3 < 32 ? in[i + 3] : in[i]);
            ok &= up[i] == (lane % 16 >= 2 ? in[i - 2] : in[i]);  // width 16 segments
            ok &= bc[i] == in[w + 7];
        }
        ok &= counter == threads + 1000 * total;
        t.check(ok, "warp shuffles, __syncwarp, atomics and static __shared__" + m);
    }
    {
        std::vector<float> out(32, 0.f);
        const int e = launch_read_unwritten(32, 32 * sizeof(float), out.data());
        bool nan = e == 0;
        for (float v : out) nan &= std::isnan(v);
        t.check(nan, "unwritten dynamic shared memory reads as NaN" + m);
        const int e2 = launch_read_unwritten(32, 64 * 1024, out.data());
        t.check(e2 == int(cudaErrorInvalidValue), "> 48 KiB dynamic shared memory without the attribute fails" + m);
    }
}

int main() {
    Tally t;
#if !defined(__SANITIZE_THREAD__)
    // fibers switch stacks behind ThreadSanitizer's back: the TSan build tests thread mode only
    correct_kernels(t, "fibers");
#endif
    emu::config().mode = emu::Mode::Threads;
    correct_kernels(t, "threads");
    emu::config().mode = emu::Mode::Fibers;
#if !defined(__SANITIZE_THREAD__)

    // Missing barrier, fibers: a thread reads a slot before its owner wrote it -> NaN.
    {
        const int threads = 64;
        std::vector<float> in(threads, 1.f), out(threads, 0.f);
        launch_reverse(true, 1, threads, in.data(), out.data());
        int nans = 0;
        for (float v : out) nans += std::isnan(v);
        t.check(nans > 0, "missing barrier shows as NaN reads under fibers (" + std::to_string(nans) + " NaN)");
        emu::config().reverse_order = true;
        std::vector<float> out2(threads, 0.f);
        launch_reverse(true, 1, threads, in.data(), out2.data());
        emu::config().reverse_order = false;
        int nans2 = 0;
        for (float v : out2) nans2 += std::isnan(v);
        t.check(nans2 > 0, "missing barrier shows as NaN reads under reverse-order fibers");
    }
    // Early return before a barrier: fibers abort naming the barrier and the exited thread.
    {
        auto r = in_child([] {
            std::vector<float> out(64);
            launch_early_return(64, out.data());
        });
        t.check(r.aborted && has(r.err, "EMU ABORT") && has(r.err, at_line(kEarlyReturnBarrierLine)) &&
                    has(r.err, "exited the kernel"),
                "early return before a barrier aborts (fibers): " + r.err);
    }
    // Barriers reached from different lines: abort naming both lines.
    {
        auto r = in_child([] {
            std::vector<float> out(64);
            launch_divergent(64, out.data());
        });
        t.check(r.aborted && has(r.err, at_line(kDivergentLineA)) && has(r.err, at_line(kDivergentLineB)),
                "barriers on different lines abort (fibers): " + r.err);
    }
#endif
    // The same two faults in OS-thread mode.
    {
        auto r = in_child([] {
            emu::config().mode = emu::Mode::Threads;
            std::vector<float> out(64);
            launch_early_return(64, out.data());
        });
        t.check(r.aborted && has(r.err, at_line(kEarlyReturnBarrierLine)) && has(r.err, "end of kernel"),
                "early return before a barrier aborts (threads): " + r.err);
        auto r2 = in_child([] {
            emu::config().mode = emu::Mode::Threads;
            std::vector<float> out(64);
            launch_divergent(64, out.data());
        });
        t.check(r2.aborted && has(r2.err, at_line(kDivergentLineA)) && has(r2.err, at_line(kDivergentLineB)),
                "barriers on different lines abort (threads): " + r2.err);
    }
#if defined(__SANITIZE_THREAD__)
    // Missing barrier, OS threads under ThreadSanitizer: a data race report.
    {
        auto r = in_child([] {
            emu::config().mode = emu::Mode::Threads;
            std::vector<float> in(64, 1.f), out(64, 0.f);
            launch_reverse(true, 1, 64, in.data(), out.data());
        });
        t.check(has(r.err, "ThreadSanitizer: data race") && has(r.err, "k_reverse_missing_barrier"),
                "missing barrier is reported by ThreadSanitizer: " + r.err.substr(0, 3000));
    }
    // The correct kernel in the same build: no report.
    {
        auto r = in_child([] {
            emu::config().mode = emu::Mode::Threads;
            std::vector<float> in(64, 1.f), out(64, 0.f);
            launch_reverse(false, 1, 64, in.data(), out.data());
        });
        t.check(!has(r.err, "ThreadSanitizer"), "correct kernel has no ThreadSanitizer report: " + r.err);
    }
    return t.finish("test_harness (tsan)");
#else
    return t.finish("test_harness");
#endif
}
