// json_min.h - a small JSON reader for the test data (objects, arrays,
// numbers, strings, true/false/null). Enough for pqc_cases.json; throws
// std::runtime_error with the byte offset on malformed input.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace jsonmin {

struct Value {
    enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
    double num = 0;
    bool b = false;
    std::string str;
    std::vector<Value> arr;
    std::map<std::string, Value> obj;

    const Value& at(const std::string& key) const {
        auto it = obj.find(key);
        if (kind != Object || it == obj.end()) throw std::runtime_error("json: missing key '" + key + "'");
        return it->second;
    }
    const Value& at(size_t i) const {
        if (kind != Array || i >= arr.size()) throw std::runtime_error("json: index out of range");
        return arr[i];
    }
    size_t size() const { return kind == Array ? arr.size() : obj.size(); }
    // Flattens nested arrays of numbers in row-major order.
    void flatten(std::vector<double>& out) const {
        if (kind == Number) {
            out.push_back(num);
        } else if (kind == Array) {
            for (const auto& v : arr) v.flatten(out);
        } else {
            throw std::runtime_error("json: expected number or array");
        }
    }
    std::vector<double> flat() const {
        std::vector<double> v;
        flatten(v);
        return v;
    }
};

class Parser {
public:
    explicit Parser(const std::string& s) : s_(s) {}
    Value parse() {
        Value v = value();
        ws();
        if (i_ != s_.size()) err("trailing characters");
        return v;
    }

private:
    const std::string& s_;
    size_t i_ = 0;

    [[noreturn]] void err(const char* what) {
        throw std::runtime_error(std::string("json: ") + what + " at offset " + std::to_string(i_));
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    bool lit(const char* w) {
        size_t n = std::char_traits<char>::length(w);
        if (s_.compare(i_, n, w) == 0) {
            i_ += n;
            return true;
        }
        return false;
    }
    Value value() {
        ws();
        if (i_ >= s_.size()) err("unexpected end");
        Value v;
        char c = s_[i_];
        if (c == '{') {
            v.kind = Value::Object;
            ++i_;
            ws();
            if (s_[i_] == '}') {
                ++i_;
                return v;
            }
            for (;;) {
                ws();
                if (s_[i_] != '"') err("expected key");
                std::string k = string();
                ws();
                if (s_[i_] != ':') err("expected ':'");
                ++i_;
                v.obj[k] = value();
                ws();
                if (s_[i_] == ',') {
                    ++i_;
                } else if (s_[i_] == '}') {
                    ++i_;
                    return v;
                } else {
                    err("expected ',' or '}'");
                }
            }
        }
        if (c == '[') {
            v.kind = Value::Array;
            ++i_;
            ws();
            if (s_[i_] == ']') {
                ++i_;
                return v;
            }
            for (;;) {
                v.arr.push_back(value());
                ws();
                if (s_[i_] == ',') {
                    ++i_;
                } else if (s_[i_] == ']') {
                    ++i_;
                    return v;
                } else {
                    err("expected ',' or ']'");
                }
            }
        }
        if (c == '"') {
            v.kind = Value::String;
            v.str = string();
            return v;
        }
        if (lit("true")) {
            v.kind = Value::Bool;
            v.b = true;
            return v;
        }
        if (lit("false")) {
            v.kind = Value::Bool;
            return v;
        }
        if (lit("null")) return v;
        const char* start = s_.c_str() + i_;
        char* end = nullptr;
        v.num = std::strtod(start, &end);
        if (end == start) err("bad value");
        i_ += size_t(end - start);
        v.kind = Value::Number;
        return v;
    }
    std::string string() {
        ++i_;  // opening quote
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] == '\\') {
                ++i_;
                if (i_ >= s_.size()) err("bad escape");
                char e = s_[i_];
                out += e == 'n' ? '\n' : e == 't' ? '\t' : e;  // \uXXXX not needed by the test data
            } else {
                out += s_[i_];
            }
            ++i_;
        }
        if (i_ >= s_.size()) err("unterminated string");
        ++i_;
        return out;
    }
};

inline Value parse_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    return Parser(text).parse();
}

}  // namespace jsonmin
