package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.Shell;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's host driver: a host is a network namespace with its own UTS namespace. Commands enter
 * both through {@code ip netns exec} (which also mounts the host's resolv.conf and hosts) and
 * {@code nsenter --uts}; files are local, under the host's state directory.
 */
public final class LabHostDriver implements HostDriver {
  private final LabLayout layout;

  public LabHostDriver(LabLayout layout) {
    this.layout = layout;
  }

  /** The layout this driver works in. */
  public LabLayout layout() {
    return layout;
  }

  /** The command line that runs {@code cmd} inside {@code host}. */
  public List<String> inHost(String host, List<String> cmd) {
    List<String> out =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                layout.namespace(host),
                "nsenter",
                "--uts=" + layout.utsFile(host),
                "--"));
    out.addAll(cmd);
    return out;
  }

  @Override
  public ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout) {
    return Shell.run(inHost(host, cmd), stdin, timeout);
  }

  @Override
  public int execInteractive(String host, List<String> cmd) {
    try {
      return new ProcessBuilder(inHost(host, cmd)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  @Override
  public void writeFile(String host, Path path, String content, String mode, String owner) {
    try {
      Files.createDirectories(path.getParent());
      // Write beside and move, so a reader never sees half a file and the mode is right from the
      // start.
      Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      if (owner != null) {
        UserPrincipal user =
            tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
        Files.setOwner(tmp, user);
      }
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long spawn(String host, List<String> cmd, Path log) {
    List<String> full = new ArrayList<>(List.of("setsid"));
    full.addAll(cmd);
    ProcessBuilder pb =
        new ProcessBuilder(inHost(host, full))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true);
    // Daemons must not inherit the CLI's environment (JAVA_TOOL_OPTIONS, credentials, a terminal).
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("LANG", "C.UTF-8");
    // Daemons that write beside themselves (garbd's gvwstate.dat) must do it in their host, not our
    // cwd.
    pb.directory(layout.host(host).run().toFile());
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(layout.host(host).run());
      // setsid puts the daemon in a session of its own, so the CLI's Ctrl-C or exit does not reach
      // it.
      return pb.start().pid();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot start '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    }
  }
}
