package dev.webinfra.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What webinfra needs from a host, whatever the host is: a namespace in the lab, or (later) a
 * server reached over SSH. Files are written with owner and mode; daemons run detached.
 */
public interface HostDriver {

  /** Runs a command inside the host to completion. */
  ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout);

  /**
   * Runs a command inside the host with this terminal's stdin, stdout and stderr; returns its exit
   * code.
   */
  int execInteractive(String host, List<String> cmd);

  /** Writes a file on the host, creating its directories; {@code owner} null keeps root. */
  void writeFile(String host, Path path, String content, String mode, String owner);

  /**
   * Starts a daemon detached from this process, with its output appended to {@code log}; returns
   * its pid.
   */
  long spawn(String host, List<String> cmd, Path log);
}
