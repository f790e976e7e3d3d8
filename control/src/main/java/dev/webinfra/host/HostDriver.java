package dev.webinfra.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything webinfra does to a host, whatever the host is: a namespace in the lab, or (later) a
 * server reached over SSH. Code outside a driver's package never touches a host any other way.
 */
public interface HostDriver {

  /** Where webinfra keeps this host's things, on the host. */
  HostPaths paths(String host);

  /** Whether the host is there and its links are up: false after a power cut. */
  boolean isUp(String host);

  /** Runs a command inside the host to completion. */
  ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout);

  /**
   * Runs a command inside the host with this terminal's stdin, stdout and stderr; returns its exit
   * code.
   */
  int execInteractive(String host, List<String> cmd);

  /**
   * Starts a command inside the host with its stdin and stdout piped to the caller, in a clean
   * environment (not the CLI's); the caller owns the process.
   */
  Process open(String host, List<String> cmd);

  /** Writes a file on the host, creating its directories; {@code owner} null keeps root. */
  void writeFile(String host, Path path, String content, String mode, String owner);

  /** One file to write: where, its content, its permission bits, its owner (null: root). */
  record FileWrite(Path path, String content, String mode, String owner) {
    public FileWrite {
      java.util.Objects.requireNonNull(path, "path");
      java.util.Objects.requireNonNull(content, "content");
      java.util.Objects.requireNonNull(mode, "mode");
    }
  }

  /**
   * {@link #writeFile} of each of {@code files}, in order; a driver that reaches its host over a
   * network writes them all in one go.
   */
  default void writeFiles(String host, List<FileWrite> files) {
    for (FileWrite f : files) {
      writeFile(host, f.path(), f.content(), f.mode(), f.owner());
    }
  }

  /**
   * Writes one of the host's system files, a path under /etc such as {@code resolv.conf} or {@code
   * ssl/certs/ca-certificates.crt}, unless it already has this content; returns whether it did.
   */
  boolean writeSystemFile(String host, String etcPath, String content);

  /**
   * {@link #writeSystemFile} for each of {@code files} (path under /etc to content), in order. A
   * driver whose every read and write is a round trip (a server's) does them together.
   */
  default void writeSystemFiles(String host, java.util.Map<String, String> files) {
    files.forEach((etcPath, content) -> writeSystemFile(host, etcPath, content));
  }

  /** {@link #readBaseSystemFile} for each of {@code etcPaths}, together where it can. */
  default java.util.Map<String, Optional<String>> readBaseSystemFiles(
      String host, List<String> etcPaths) {
    java.util.Map<String, Optional<String>> out = new java.util.LinkedHashMap<>();
    etcPaths.forEach(p -> out.put(p, readBaseSystemFile(host, p)));
    return out;
  }

  /**
   * A system file of the host (a path under /etc) as its distribution has it, before webinfra wrote
   * its own: the base to add to, such as the system's CA bundle.
   */
  Optional<String> readBaseSystemFile(String host, String etcPath);

  /** Copies a local file onto the host unless an identical one is there; returns whether it did. */
  boolean copyFile(String host, Path from, Path to, String mode, String owner);

  /** A file's content on the host, if it exists and can be read. */
  Optional<String> readFile(String host, Path path);

  /**
   * {@link #readFile} of each of {@code paths}, by path; a driver that reaches its host over a
   * network asks once for them all.
   */
  default java.util.Map<Path, Optional<String>> readFiles(String host, List<Path> paths) {
    java.util.Map<Path, Optional<String>> out = new java.util.LinkedHashMap<>();
    for (Path p : paths) {
      out.put(p, readFile(host, p));
    }
    return out;
  }

  /** Creates a directory and its parents on the host, owned by {@code owner} (null: root). */
  void mkdirs(String host, Path dir, String owner);

  /**
   * Points the symbolic link {@code link} at {@code target} (relative to the link's directory), in
   * one rename: a reader sees the old target or the new one, never none.
   */
  void link(String host, Path link, String target);

  /** Where the symbolic link {@code link} points, if it is one. */
  Optional<String> readLink(String host, Path link);

  /**
   * Cuts a host's power, as a chaos fault and {@code stop HOST} do: every process stops at once
   * (frozen, then killed, so that none acts on another's death), {@code whileFrozen} runs in
   * between (to forget what a power loss forgets), then {@code links} go down. Returns how many
   * processes it stopped. A driver whose hosts cannot lose power throws.
   */
  int cutPower(String host, List<String> links, Runnable whileFrozen);

  /** The IPv4 addresses the host holds right now, without prefix lengths. */
  Set<String> addresses(String host);

  /** Removes an address ({@code a.b.c.d/len}) from one of the host's links, if it is there. */
  boolean removeAddress(String host, String cidr, String link);
}
