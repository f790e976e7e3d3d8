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

  /**
   * Writes one of the host's system files, a path under /etc such as {@code resolv.conf} or {@code
   * ssl/certs/ca-certificates.crt}, unless it already has this content; returns whether it did.
   */
  boolean writeSystemFile(String host, String etcPath, String content);

  /**
   * A system file of the host (a path under /etc) as its distribution has it, before webinfra wrote
   * its own: the base to add to, such as the system's CA bundle.
   */
  Optional<String> readBaseSystemFile(String host, String etcPath);

  /** Copies a local file onto the host unless an identical one is there; returns whether it did. */
  boolean copyFile(String host, Path from, Path to, String mode, String owner);

  /** A file's content on the host, if it exists and can be read. */
  Optional<String> readFile(String host, Path path);

  /** Creates a directory and its parents on the host, owned by {@code owner} (null: root). */
  void mkdirs(String host, Path dir, String owner);

  /**
   * Starts a daemon detached from this process, with its output appended to {@code log}; returns
   * its pid.
   */
  long spawn(String host, List<String> cmd, Path log);

  /** Whether process {@code pid} is alive in the host. */
  boolean isAlive(String host, long pid);

  /** Sends a signal ({@code TERM}, {@code KILL}, {@code HUP}, {@code USR2}…) to a process. */
  void signal(String host, long pid, String signal);

  /**
   * Sends a signal to several processes as nearly at once as the host allows (one by one unless a
   * driver can do better); pids that are gone already are skipped.
   */
  default void signalAll(String host, List<Long> pids, String signal) {
    pids.forEach(pid -> signal(host, pid, signal));
  }

  /** The pids of every process in the host. */
  List<Long> pids(String host);

  /** The IPv4 addresses the host holds right now, without prefix lengths. */
  Set<String> addresses(String host);

  /** Removes an address ({@code a.b.c.d/len}) from one of the host's links, if it is there. */
  boolean removeAddress(String host, String cidr, String link);
}
