package org.dgquantum.bindings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link ProbeMain} (or another main class) in a fresh JVM with the test class path; public for other modules' tests. */
public final class Fork {
    /** The exit code and everything the JVM printed (stdout and stderr). */
    public record Result(int exit, String output) {
    }

    private Fork() {
    }

    static Result run(Map<String, String> env, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        return run(ProbeMain.class, env, jvmFlags, args);
    }

    public static Result run(Class<?> main, Map<String, String> env, List<String> jvmFlags, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DGQ_BACKEND");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM did not finish: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
