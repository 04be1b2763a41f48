# Sourced, not run: the JVM's memory settings for a developer machine, in one place for bin/run and
# the benchmarks that start the service (bench/lib.sh). Use them as
#   java "${jvm_memory[@]}" ${JAVA_OPTS:-} ...
# so that a flag in JAVA_OPTS, coming later, wins (JAVA_OPTS=-Xmx2g, or -Dorg.bytedeco.javacpp.maxphysicalbytes=6g).
# The Dockerfile (and the Helm chart's javaOpts) set the same, except that the heap is a share of the
# container's memory limit there (-XX:MaxRAMPercentage=25) instead of a fixed figure.
#
# The heap is fixed because the JVM's default, a quarter of the machine's RAM, lets it grow with the
# load (issue 13: RSS from 504 MB to 1.2-1.4 GB under /predict at 64 clients, all of it heap). 1 GiB
# holds Spring and Tomcat, the datasets (MNIST is 55 MB of bytes; the best recipe's 4 augmented copies
# add 235 MB) and the requests in flight. ND4J's arrays are not on the heap.
# JavaCPP's percentages are of the heap, so they follow an -Xmx given in JAVA_OPTS:
# - maxphysicalbytes 350 %: the whole process's resident memory (heap, ND4J's arrays and workspaces,
#   the native libraries, metaspace, threads) stays under 3.5 GiB; past it, the next native allocation
#   runs a GC (which also frees unreachable ND4J arrays), then fails with an OutOfMemoryError that fails
#   that request or training member, not the process. This is what bounds ND4J's memory.
# - maxbytes 150 %: what JavaCPP itself allocates and tracks. ND4J 1.0.0-M2.1 allocates its arrays in
#   libnd4j, outside this count (measured: 0 bytes tracked with 1 GB of arrays), so it bounds little.
# MaxDirectMemorySize bounds NIO's direct buffers (Tomcat, file reads), which ND4J does not use; the
# default would be the heap's size again. MaxMetaspaceSize bounds the classes: 93 MB in use after a
# training job and predictions.
# ExitOnOutOfMemoryError, as in the image: a full heap or metaspace ends the process at once rather
# than leave it half working (running jobs resume from their checkpoints at the next start); the
# OutOfMemoryErrors that JavaCPP and NIO throw only fail what asked for the memory.
#
# Measured on 2 cores (bench/soak, DURATION=60): RSS 567 MB idle, 778 MB after a minute of /predict at
# 64 clients (live heap about 100-190 MB); a 2-member training job peaked at 1.1 GB, with 340 MB of workspaces.
# shellcheck disable=SC2034  # used by the scripts that source this file
jvm_memory=(
  -Xmx1g
  -XX:MaxDirectMemorySize=256m
  -XX:MaxMetaspaceSize=256m
  -XX:+ExitOnOutOfMemoryError
  -Dorg.bytedeco.javacpp.maxbytes=150%
  -Dorg.bytedeco.javacpp.maxphysicalbytes=350%
)
