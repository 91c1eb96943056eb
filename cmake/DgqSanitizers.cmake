# Detects whether the C++ compiler can build and run a ThreadSanitizer program.
# Sets DGQ_HAVE_TSAN.
include(CheckCXXSourceRuns)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=thread")
check_cxx_source_runs("#include <thread>\nint main(){std::thread t([]{}); t.join(); return 0;}" DGQ_HAVE_TSAN)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
