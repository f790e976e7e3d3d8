package dev.webinfra.render.systemd;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Renders a daemon's spec as a systemd service ({@code webinfra-NAME.service}), for a server whose
 * service manager is systemd. What the lab's supervisor does by hand, the unit declares: the user,
 * directory and environment it runs with, the steps before each start (as root), how it reloads and
 * stops, what it starts after, and a restart when it dies. Its output goes to the journal. The rest
 * of the system is read-only to it, except its host's run directory and what it writes.
 */
public final class SystemdUnitRenderer {
  /** Where a server's units go: the administrator's directory, ahead of any package's. */
  public static final Path UNIT_DIR = Path.of("/etc/systemd/system");

  // A word systemd reads as it is: no quotes, spaces, backslashes or semicolons.
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./$-]+");

  private SystemdUnitRenderer() {}

  /** The unit's name for the daemon {@code name}: {@code webinfra-NAME.service}. */
  public static String unitName(String name) {
    return "webinfra-" + name + ".service";
  }

  /** The unit file of {@code spec}, for a host laid out as {@code paths}. */
  public static RenderedFile render(DaemonSpec spec, HostPaths paths) {
    StringBuilder u = new StringBuilder();
    u.append("# ")
        .append(unitName(spec.name()))
        .append(": ")
        .append(spec.name())
        .append(" on host ")
        .append(spec.host())
        .append(", rendered by webinfra from its spec; edits are overwritten.\n");
    u.append("[Unit]\n");
    u.append("Description=webinfra ").append(spec.name()).append('\n');
    u.append("Wants=network-online.target\n");
    u.append("After=network-online.target");
    spec.after().forEach(a -> u.append(' ').append(unitName(a)));
    u.append('\n');
    u.append(
        "# A daemon that keeps dying is left stopped after 5 starts in 60 s: webinfra logs says"
            + " why.\n");
    u.append("StartLimitIntervalSec=60\n");
    u.append("StartLimitBurst=5\n");
    u.append('\n');
    u.append("[Service]\n");
    u.append("Type=simple\n");
    if (spec.user() != null) {
      u.append("User=").append(spec.user()).append('\n');
      u.append("Group=").append(spec.user()).append('\n');
    }
    u.append("WorkingDirectory=")
        .append(spec.workdir() != null ? spec.workdir() : paths.run())
        .append('\n');
    for (Map.Entry<String, String> e : spec.environment().entrySet()) {
      u.append("Environment=").append(quoted(e.getKey() + "=" + e.getValue())).append('\n');
    }
    // "+": a step runs with full privileges, as the lab runs it, whoever the daemon runs as.
    for (Step s : spec.beforeStart()) {
      u.append("# before start: ").append(s.what()).append('\n');
      u.append("ExecStartPre=+").append(commandLine(s.command())).append('\n');
    }
    u.append("ExecStart=").append(commandLine(spec.command())).append('\n');
    switch (spec.reload().kind()) {
      case SIGNAL ->
          u.append("ExecReload=/bin/kill -").append(spec.reload().signal()).append(" $MAINPID\n");
      case COMMAND ->
          u.append("ExecReload=+").append(commandLine(spec.reload().command())).append('\n');
      case RESTART -> u.append("# no reload: a config change restarts it\n");
    }
    u.append("KillSignal=SIG").append(spec.stop().signal()).append('\n');
    u.append("TimeoutStopSec=").append(seconds(spec.stop().grace().toMillis())).append('\n');
    u.append("Restart=always\n");
    u.append("RestartSec=1s\n");
    u.append("NoNewPrivileges=yes\n");
    u.append("ProtectSystem=strict\n");
    // "-": a path that does not exist yet is no reason to fail the start.
    u.append("ReadWritePaths=");
    u.append(String.join(" ", writable(spec, paths).stream().map(p -> "-" + p).toList()));
    u.append('\n');
    u.append("ProtectHome=yes\n");
    u.append("PrivateTmp=yes\n");
    u.append('\n');
    u.append("[Install]\n");
    u.append("WantedBy=multi-user.target\n");
    return RenderedFile.config(UNIT_DIR.resolve(unitName(spec.name())), u.toString());
  }

  /**
   * Where the daemon may write: its host's run directory (pid files, sockets, temp files), the
   * directories made for it, what it declares it writes, and the directories of the logs it writes
   * itself (its output goes to the journal).
   */
  static List<Path> writable(DaemonSpec spec, HostPaths paths) {
    TreeSet<Path> out = new TreeSet<>();
    out.add(paths.run());
    spec.dirs().forEach(d -> out.add(d.path()));
    out.addAll(spec.writes());
    spec.logs().stream().filter(l -> !l.equals(spec.log())).forEach(l -> out.add(l.getParent()));
    // A path under another one on the list adds nothing.
    List<Path> kept = new ArrayList<>();
    for (Path p : out) {
      if (kept.stream().noneMatch(p::startsWith)) {
        kept.add(p);
      }
    }
    return kept;
  }

  /** A command line as systemd reads it: each word as it is, or quoted, with $ and % kept. */
  static String commandLine(List<String> words) {
    return String.join(" ", words.stream().map(SystemdUnitRenderer::word).toList());
  }

  // systemd expands $VAR and %x in a command line: doubled, they stand for themselves.
  private static String word(String w) {
    String kept = w.replace("%", "%%").replace("$", "$$");
    return PLAIN.matcher(kept).matches() ? kept : quoted(w).replace("$", "$$");
  }

  // A double-quoted word, with C escapes; % doubled (specifiers are expanded in quotes too).
  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '%' -> b.append("%%");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
