package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A site's state directory as a tar, made and read by this machine's {@code tar}: how it travels to
 * and from the host its controller runs on, in one SSH command each way.
 */
final class StateTar {
  private StateTar() {}

  /** The entries of {@code dir} named {@code entries} that exist, as a tar (empty if none do). */
  static byte[] pack(Path dir, List<String> entries) {
    List<String> there = entries.stream().filter(e -> Files.exists(dir.resolve(e))).toList();
    if (there.isEmpty()) {
      return new byte[0];
    }
    List<String> cmd = new ArrayList<>(List.of("tar", "-C", dir.toString(), "-cf", "-", "--"));
    cmd.addAll(there);
    return run(cmd, null, "pack " + dir);
  }

  /**
   * Unpacks {@code tar} into {@code dir}; each of {@code replaced} that the tar holds is removed
   * first, so that what the tar lacks of it does not linger.
   */
  static void unpack(byte[] tar, Path dir, List<String> replaced) {
    try {
      Files.createDirectories(dir);
      List<String> names = names(tar);
      for (String r : replaced) {
        if (names.stream().anyMatch(n -> n.equals(r) || n.startsWith(r + "/"))) {
          dev.webinfra.host.Trees.delete(dir.resolve(r));
        }
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "cannot unpack the controller's state into " + dir + ": " + e.getMessage(), e);
    }
    run(List.of("tar", "-C", dir.toString(), "-xf", "-"), tar, "unpack into " + dir);
  }

  /** The text of entry {@code name} of {@code tar}, if it holds one. */
  static Optional<String> entry(byte[] tar, String name) {
    if (tar.length == 0 || !names(tar).contains(name)) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            run(List.of("tar", "-xOf", "-", "--", name), tar, "read " + name),
            StandardCharsets.UTF_8));
  }

  private static List<String> names(byte[] tar) {
    if (tar.length == 0) {
      return List.of();
    }
    return new String(run(List.of("tar", "-tf", "-"), tar, "list"), StandardCharsets.UTF_8)
        .lines()
        .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
        .map(l -> l.startsWith("./") ? l.substring(2) : l)
        .toList();
  }

  private static byte[] run(List<String> cmd, byte[] input, String what) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      CompletableFuture<byte[]> out =
          CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<byte[]> err =
          CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        if (input != null) {
          in.write(input);
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw WebinfraException.unexpectedState("tar: " + what + ": took longer than 60 s");
      }
      if (p.exitValue() != 0) {
        throw WebinfraException.unexpectedState(
            "tar: "
                + what
                + ": "
                + new String(err.join(), StandardCharsets.UTF_8)
                    .strip()
                    .lines()
                    .findFirst()
                    .orElse("failed"));
      }
      return out.join();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState("tar: " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("tar: " + what + ": interrupted", e);
    }
  }

  private static byte[] drain(InputStream in) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
