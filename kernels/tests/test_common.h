// test_common.h - shared helpers of the C++ tests: the reference cases,
// a uniform view of the backends, error measurement and a pass/fail tally.
#pragma once

#include <dgq/dgq.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "json_min.h"

namespace dgqtest {

struct Case {
    std::string name;
    dgq_circuit c{};
    int B = 0;
    std::vector<double> x, w, g, z, dx, dw;  // expected z/dx/dw from the reference file
};

inline int gate_code(const std::string& s) {
    if (s == "RX") return DGQ_RX;
    if (s == "RY") return DGQ_RY;
    if (s == "RZ") return DGQ_RZ;
    throw std::runtime_error("unknown gate " + s);
}
inline int ent_code(const std::string& s) {
    if (s == "ring") return DGQ_ENT_RING;
    if (s == "linear") return DGQ_ENT_LINEAR;
    if (s == "none") return DGQ_ENT_NONE;
    throw std::runtime_error("unknown entangler " + s);
}

inline std::vector<Case> load_cases(const std::string& path) {
    const jsonmin::Value root = jsonmin::parse_file(path);
    std::vector<Case> out;
    const auto& cases = root.at("cases");
    for (size_t i = 0; i < cases.size(); ++i) {
        const auto& j = cases.at(i);
        Case c;
        c.name = j.at("name").str;
        c.c.n_qubits = int(j.at("qubits").num);
        c.c.n_layers = int(j.at("layers").num);
        c.c.encoding = gate_code(j.at("encoding").str);
        c.c.entangler = ent_code(j.at("entangler").str);
        const auto& rots = j.at("rotations");
        c.c.n_rot = int(rots.size());
        for (size_t k = 0; k < rots.size(); ++k) c.c.rot[k] = gate_code(rots.at(k).str);
        c.B = int(j.at("inputs").size());
        c.x = j.at("inputs").flat();
        c.w = j.at("weights").flat();
        c.g = j.at("upstream").flat();
        const auto& e = j.at("expected");
        c.z = e.at("expectations").flat();
        c.dx = e.at("inputGradients").flat();
        c.dw = e.at("weightGradients").flat();
        const size_t n = size_t(c.c.n_qubits), Pw = size_t(c.c.n_layers) * n * size_t(c.c.n_rot);
        if (c.x.size() != c.B * n || c.w.size() != Pw || c.g.size() != c.B * n || c.z.size() != c.B * n ||
            c.dx.size() != c.B * n || c.dw.size() != Pw)
            throw std::runtime_error("case " + c.name + ": array sizes do not match the circuit");
        out.push_back(c);
    }
    if (out.empty()) throw std::runtime_error("no cases in " + path);
    return out;
}

inline Case random_case(std::mt19937_64& rng, int n, int L, int B) {
    Case c;
    std::uniform_int_distribution<int> gate(0, 2), ent(0, 2), enc(0, 1), nrot(1, 3);
    std::uniform_real_distribution<double> ang(-3.2, 3.2), up(-1.0, 1.0);
    c.c.n_qubits = n;
    c.c.n_layers = L;
    c.c.encoding = enc(rng);
    c.c.entangler = ent(rng);
    c.c.n_rot = nrot(rng);
    for (int k = 0; k < c.c.n_rot; ++k) c.c.rot[k] = gate(rng);
    c.B = B;
    c.name = "random_n" + std::to_string(n) + "_L" + std::to_string(L) + "_B" + std::to_string(B);
    for (int i = 0; i < B * n; ++i) c.x.push_back(ang(rng));
    for (int i = 0; i < L * n * c.c.n_rot; ++i) c.w.push_back(ang(rng));
    for (int i = 0; i < B * n; ++i) c.g.push_back(up(rng));
    return c;
}

template <class T>
std::vector<T> conv(const std::vector<double>& v) {
    return std::vector<T>(v.begin(), v.end());
}

template <class T>
double max_err(const std::vector<T>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return INFINITY;
    double m = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        const double d = std::fabs(double(got[i]) - want[i]);
        if (!(d <= m)) m = std::isnan(d) ? INFINITY : d;  // NaN counts as infinitely wrong
    }
    return m;
}

// Result of running one circuit on one backend.
struct Result {
    std::vector<double> z, dx, dw;
};

// A backend seen by the tests: runs forward + backward for precision T.
// Returns false (and prints the error) if the library reported one.
using Runner = std::function<bool(const Case&, bool f64, int method, Result&)>;

struct Tally {
    int passed = 0, failed = 0;
    void check(bool ok, const std::string& what) {
        if (ok) {
            ++passed;
        } else {
            ++failed;
            std::printf("FAIL %s\n", what.c_str());
        }
    }
    void expect_close(double err, double tol, const std::string& what) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " (max abs err %.3g, tol %.0e)", err, tol);
        check(err <= tol, what + buf);
    }
    int finish(const char* prog) {
        std::printf("%s: %d passed, %d failed\n", prog, passed, failed);
        return failed == 0 && passed > 0 ? 0 : 1;
    }
};

// Compares a backend's result with expected values (z, dx, dw).
inline void compare(Tally& t, const Result& r, const std::vector<double>& z, const std::vector<double>& dx,
                    const std::vector<double>& dw, double tol, const std::string& label) {
    t.expect_close(max_err(r.z, z), tol, label + " forward");
    t.expect_close(max_err(r.dx, dx), tol, label + " inputGrad");
    t.expect_close(max_err(r.dw, dw), tol, label + " weightGrad");
}

// Generic runner over a set of C functions with host pointers.
template <class T, class Fwd, class Bwd>
bool run_with(const Case& c, int method, Result& r, Fwd fwd, Bwd bwd, const char* (*last_error)()) {
    const int n = c.c.n_qubits;
    const std::vector<T> x = conv<T>(c.x), w = conv<T>(c.w), g = conv<T>(c.g);
    std::vector<T> z(size_t(c.B) * n, T(-7)), dx(size_t(c.B) * n, T(-7)), dw(c.w.size(), T(-7));
    int rc = fwd(&c.c, c.B, x.data(), w.data(), z.data());
    if (rc == DGQ_OK) rc = bwd(&c.c, c.B, x.data(), w.data(), g.data(), dx.data(), dw.data(), method);
    if (rc != DGQ_OK) {
        std::printf("backend error %d on %s: %s\n", rc, c.name.c_str(), last_error());
        return false;
    }
    r.z.assign(z.begin(), z.end());
    r.dx.assign(dx.begin(), dx.end());
    r.dw.assign(dw.begin(), dw.end());
    return true;
}

inline std::string data_path(int argc, char** argv) {
    if (argc > 1) return argv[1];
#ifdef DGQ_TEST_DATA
    return DGQ_TEST_DATA;
#else
    return "pqc_cases.json";
#endif
}

}  // namespace dgqtest
