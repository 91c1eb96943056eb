# Script mode: runs nvcc and saves its stderr (the -Xptxas -v report).
#   cmake -DNVCC=... -DARGS="a;b;c" -DREPORT=file -P DgqRunNvcc.cmake
execute_process(COMMAND ${NVCC} ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(WRITE "${REPORT}" "${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nvcc failed (${rc}):\n${out}\n${err}")
endif()
