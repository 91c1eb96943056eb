# Finds nvcc and defines dgq_cuda_outputs(). enable_language(CUDA) does work
# with CMake 3.25 + nvcc 13 (checked), but a .fatbin target needs
# CUDA_FATBIN_COMPILATION (CMake >= 3.27) and we want the -Xptxas -v report in
# a file, so plain custom commands call nvcc. dgq_cuda_outputs() builds
#   dgq_kernels.fatbin : SASS for DGQ_CUDA_ARCHS + PTX for the last one
#   libdgq_cuda.so     : the dgq_cuda_* C ABI, cudart linked statically
#   ptxas_report.txt   : the resource report of every kernel and architecture
# Sets DGQ_HAVE_NVCC.
set(DGQ_CUDA_ARCHS "80;86;89;90" CACHE STRING "SASS architectures; PTX is added for the last one")
option(DGQ_ENABLE_CUDA "Build the CUDA fatbin and libdgq_cuda.so when nvcc is found" ON)
if(NOT DGQ_ENABLE_CUDA)
  set(DGQ_HAVE_NVCC OFF)
  message(STATUS "dgq: SKIP CUDA fatbin and libdgq_cuda.so: DGQ_ENABLE_CUDA=OFF")
  return()
endif()
find_program(DGQ_NVCC nvcc
  HINTS ENV CUDA_HOME ENV CUDA_PATH
  PATHS /usr/local/cuda/bin /usr/local/cuda-13.0/bin /usr/local/cuda-13/bin
  PATH_SUFFIXES bin)
if(DGQ_NVCC)
  set(DGQ_HAVE_NVCC ON)
  execute_process(COMMAND ${DGQ_NVCC} --version OUTPUT_VARIABLE _nvv ERROR_QUIET)
  string(REGEX MATCH "release [0-9.]+" DGQ_NVCC_RELEASE "${_nvv}")
  message(STATUS "dgq: nvcc found: ${DGQ_NVCC} (${DGQ_NVCC_RELEASE})")
else()
  set(DGQ_HAVE_NVCC OFF)
  message(STATUS "dgq: SKIP CUDA fatbin and libdgq_cuda.so: nvcc not found (set CUDA_HOME or PATH)")
endif()

function(dgq_cuda_outputs src include_dir out_dir)
  set(gencode "")
  list(GET DGQ_CUDA_ARCHS -1 last)
  foreach(a IN LISTS DGQ_CUDA_ARCHS)
    if(a STREQUAL last)
      list(APPEND gencode "-gencode=arch=compute_${a},code=sm_${a}" "-gencode=arch=compute_${a},code=compute_${a}")
    else()
      list(APPEND gencode "-gencode=arch=compute_${a},code=sm_${a}")
    endif()
  endforeach()
  set(common -std=c++20 -O3 -I${include_dir} -ccbin ${CMAKE_CXX_COMPILER} ${gencode})
  set(fatbin ${out_dir}/dgq_kernels.fatbin)
  set(report ${out_dir}/ptxas_report.txt)
  add_custom_command(OUTPUT ${fatbin} ${report}
    COMMAND ${CMAKE_COMMAND} -DNVCC=${DGQ_NVCC}
            "-DARGS=${common};-Xptxas;-v;-fatbin;${src};-o;${fatbin}"
            -DREPORT=${report} -P ${PROJECT_SOURCE_DIR}/../cmake/DgqRunNvcc.cmake
    DEPENDS ${src} ${include_dir}/dgq/gates.h ${include_dir}/dgq/dgq.h
    COMMENT "nvcc: dgq_kernels.fatbin (${DGQ_CUDA_ARCHS})" VERBATIM)
  set(lib ${out_dir}/libdgq_cuda.so)
  add_custom_command(OUTPUT ${lib}
    COMMAND ${DGQ_NVCC} ${common} -shared -Xcompiler=-fPIC -cudart=static ${src} -o ${lib}
    DEPENDS ${src} ${include_dir}/dgq/gates.h ${include_dir}/dgq/dgq.h
    COMMENT "nvcc: libdgq_cuda.so" VERBATIM)
  add_custom_target(dgq_cuda ALL DEPENDS ${fatbin} ${report} ${lib})
endfunction()
