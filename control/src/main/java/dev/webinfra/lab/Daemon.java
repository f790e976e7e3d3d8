package dev.webinfra.lab;

import dev.webinfra.plan.Component;
import java.nio.file.Path;
import java.util.List;

/**
 * How one component runs on one host: its command line, its log, the files that decide its config
 * (a change to any of them means a restart), and the probe that says it is ready.
 */
public record Daemon(
    String host,
    Component component,
    List<String> command,
    Path log,
    List<Path> logs,
    Path pidFile,
    List<String> readyProbe) {
  public Daemon {
    command = List.copyOf(command);
    logs = List.copyOf(logs);
    readyProbe = List.copyOf(readyProbe);
  }

  /** {@code host/component}, for progress and errors. */
  public String id() {
    return host + "/" + component.label();
  }
}
