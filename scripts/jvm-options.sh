# Sourced by ./paddock and the benchmarks that measure a command as users run it: the JVM options of each command.
# paddock_jvm_options CMD sets PADDOCK_JVM_BASE (every command) and PADDOCK_JVM_JIT (what CMD's work wants of the JIT).

paddock_jvm_options() {
  # A small heap and the serial collector suit commands (PADDOCK_JAVA_OPTS, added by ./paddock last, can override them).
  PADDOCK_JVM_BASE="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx256m -XX:-UsePerfData"
  case "$1" in
    # A server runs each request's code once a request: at the default thresholds HotSpot compiles it only after some
    # thousand requests, and until then the gateway adds 4-5 ms to a local model's time to first token instead of about
    # 1 ms (bench/gateway, its first requests against its warm figure). Twenty times lower thresholds compile it within
    # the first few hundred requests, for a few seconds of compiling spread over them.
    # A server parses each request body whole, at some 11 bytes of heap a byte while it does: three image requests at
    # once (8 MiB bodies, server.max_body_kb's default) need more than 256 MiB, which the serial collector takes only
    # as they come.
    serve) PADDOCK_JVM_JIT="-XX:CompileThresholdScaling=0.05"
      PADDOCK_JVM_BASE="${PADDOCK_JVM_BASE/-Xmx256m/-Xmx512m}" ;;
    # Long work keeps both compilers: a pull's hashing and copying run at half speed without the optimising one.
    pull|import|run) PADDOCK_JVM_JIT="" ;;
    # A command that answers at once gains a third of its time without the optimising compiler (C2's threads only
    # compete for the cores during start-up: bench/cli-latency). A benchmark does little work of its own, and C2
    # compiling it takes cores from the engine it measures: 7 % of a local model's tokens/s on 2 cores, in alternating
    # runs of `paddock bench`.
    *) PADDOCK_JVM_JIT="-XX:TieredStopAtLevel=1" ;;
  esac
}
