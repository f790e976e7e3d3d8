package dev.webinfra.host;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs local commands to completion with a time limit, capturing their output. */
public final class Shell {
  /**
   * The PATH a host's commands and daemons run with: a clean one, not the CLI's (which may put a
   * user's own tools first).
   */
  public static final String DAEMON_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private Shell() {}

  /**
   * Runs {@code cmd}, feeding {@code stdin} if given, and returns what happened; never throws on a
   * non-zero exit.
   */
  public static ExecResult run(List<String> cmd, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "cannot run '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    }
    // Drain both streams concurrently so a chatty command cannot block on a full pipe.
    // Each on a virtual thread of its own: the common pool has one thread on a 2-core machine, and
    // a
    // long task there would stall every command.
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // The command may exit before reading its input; its exit code says what happened.
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw WebinfraException.unexpectedState(
            "'"
                + String.join(" ", cmd)
                + "' did not finish within "
                + timeout.toMillis()
                + "ms and was killed");
      }
      return new ExecResult(cmd, p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw WebinfraException.unexpectedState(
          "interrupted while running '" + String.join(" ", cmd) + "'", e);
    }
  }

  /** Runs {@code cmd} with a 60 s limit. */
  public static ExecResult run(String... cmd) {
    return run(List.of(cmd), null, Duration.ofSeconds(60));
  }

  /**
   * Runs {@code cmd} and fails with its stderr unless it exits 0; {@code subject} starts the
   * message.
   */
  public static ExecResult check(String subject, List<String> cmd, String stdin, Duration timeout) {
    ExecResult r = run(cmd, stdin, timeout);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(subject + ": " + r.describe());
    }
    return r;
  }

  /** As {@link #check(String, List, String, Duration)} with no input and a 60 s limit. */
  public static ExecResult check(String subject, String... cmd) {
    return check(subject, List.of(cmd), null, Duration.ofSeconds(60));
  }

  /**
   * Makes an ed25519 key pair without a passphrase, {@code file} and {@code file.pub}, with {@code
   * comment}; a failure names {@code subject}.
   */
  public static void sshKeyPair(String subject, String comment, java.nio.file.Path file) {
    check(
        subject,
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        comment,
        "-f",
        file.toString());
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                f.complete(read(in));
              } catch (RuntimeException e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
