package dev.webinfra.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One daemon on one host, completely: everything that defines it while it runs (its rendered files,
 * the files the apply step supplies and its command line) and how to run it (its logs, readiness
 * probe, steps before each start, and reload). Two specs that are equal describe the same running
 * daemon, which is how {@code up} knows what to leave alone.
 *
 * @param host the host's name
 * @param name the unit's name
 * @param files pure renderings, written before the daemon starts
 * @param hostFiles secrets, certificates and artifacts, supplied by the apply step
 * @param dirs directories to create before the start, with their owner (null: root)
 * @param command the program and its arguments, run inside the host
 * @param user who it runs as (null: root, for a daemon that drops privilege itself, as nginx does)
 * @param workdir its working directory (null: the supervisor's choice)
 * @param environment what it is told through its environment, in order; nothing else reaches it
 * @param writes where it writes while it runs, besides its host's run directory and the logs it
 *     writes itself (a service manager that makes the rest of the system read-only leaves these)
 * @param log where the daemon's stdout and stderr go
 * @param logs every log worth showing, for {@code logs} and error messages
 * @param readiness when the started daemon is ready
 * @param beforeStart commands run in the host before every start, in order; any failure stops it
 * @param reload how a config change reaches the running daemon
 * @param stop how the daemon is stopped
 * @param after the units it starts after when they run on the same host (a service manager's
 *     ordering; {@code plan.Units.ALL} lists units in an order that keeps every one)
 */
public record DaemonSpec(
    String host,
    String name,
    List<RenderedFile> files,
    List<HostFile> hostFiles,
    List<Dir> dirs,
    List<String> command,
    String user,
    Path workdir,
    Map<String, String> environment,
    List<Path> writes,
    Path log,
    List<Path> logs,
    Readiness readiness,
    List<Step> beforeStart,
    Reload reload,
    Stop stop,
    List<String> after) {

  /** A directory a daemon needs, owned by {@code owner} (null: root). */
  public record Dir(Path path, String owner) {
    public Dir {
      Objects.requireNonNull(path, "path");
    }
  }

  public DaemonSpec {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
    hostFiles = List.copyOf(hostFiles);
    dirs = List.copyOf(dirs);
    command = List.copyOf(command);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    writes = List.copyOf(writes);
    Objects.requireNonNull(log, "log");
    logs = List.copyOf(logs);
    Objects.requireNonNull(readiness, "readiness");
    beforeStart = List.copyOf(beforeStart);
    Objects.requireNonNull(reload, "reload");
    Objects.requireNonNull(stop, "stop");
    after = List.copyOf(after);
    if (command.isEmpty()) {
      throw new IllegalArgumentException(host + "/" + name + ": empty command line");
    }
  }

  /** {@code host/name}, as printed. */
  public String id() {
    return host + "/" + name;
  }

  /**
   * The whole command line that runs it from a root shell in its host, for a supervisor with no
   * notion of users or environments (the lab's): util-linux's {@code setpriv} for the user, {@code
   * env -C} for the directory and the environment, then the program. A service manager that has
   * them (systemd's {@code User=}, {@code WorkingDirectory=}, {@code Environment=}) runs {@link
   * #command()} instead. It is also what a running daemon is compared by.
   */
  public List<String> commandLine() {
    List<String> out = new java.util.ArrayList<>();
    if (user != null) {
      out.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
    }
    if (workdir != null || !environment.isEmpty()) {
      out.add("env");
      if (workdir != null) {
        out.addAll(List.of("-C", workdir.toString()));
      }
      environment.forEach((k, v) -> out.add(k + "=" + v));
    }
    out.addAll(command);
    return out;
  }

  /** This spec with {@code args} added to its command (a one-time start's extra arguments). */
  public DaemonSpec withArgs(List<String> args) {
    List<String> cmd = new java.util.ArrayList<>(command);
    cmd.addAll(args);
    return new DaemonSpec(
        host,
        name,
        files,
        hostFiles,
        dirs,
        cmd,
        user,
        workdir,
        environment,
        writes,
        log,
        logs,
        readiness,
        beforeStart,
        reload,
        stop,
        after);
  }

  /** A builder with the required parts; the rest default to none and restart-on-change. */
  public static Builder builder(String host, String name, List<String> command, Path log) {
    return new Builder(host, name, command, log);
  }

  /** Builds a spec step by step; units read better with named parts. */
  public static final class Builder {
    private final String host;
    private final String name;
    private final List<String> command;
    private final Path log;
    private List<RenderedFile> files = List.of();
    private final java.util.ArrayList<HostFile> hostFiles = new java.util.ArrayList<>();
    private final java.util.ArrayList<Dir> dirs = new java.util.ArrayList<>();
    private List<Path> logs = List.of();
    private Readiness readiness = Readiness.none();
    private final java.util.ArrayList<Step> beforeStart = new java.util.ArrayList<>();
    private Reload reload = Reload.restart();
    private Stop stop = Stop.DEFAULT;
    private List<String> after = List.of();
    private String user;
    private Path workdir;
    private final Map<String, String> environment = new java.util.LinkedHashMap<>();
    private List<Path> writes = List.of();

    private Builder(String host, String name, List<String> command, Path log) {
      this.host = host;
      this.name = name;
      this.command = command;
      this.log = log;
    }

    /** Runs it as {@code user} instead of root. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** Runs it in {@code dir}. */
    public Builder workdir(Path dir) {
      this.workdir = dir;
      return this;
    }

    /** Adds {@code vars} to its environment, in their order. */
    public Builder environment(Map<String, String> vars) {
      environment.putAll(vars);
      return this;
    }

    /** Where it writes while it runs, besides the run directory and its own logs. */
    public Builder writes(Path... paths) {
      this.writes = List.of(paths);
      return this;
    }

    /** The pure renderings. */
    public Builder files(List<RenderedFile> files) {
      this.files = files;
      return this;
    }

    /** A file the apply step supplies. */
    public Builder hostFile(HostFile f) {
      hostFiles.add(f);
      return this;
    }

    /** A directory owned by {@code owner} (null: root). */
    public Builder dir(Path path, String owner) {
      dirs.add(new Dir(path, owner));
      return this;
    }

    /** Every log worth showing (the stdout log is added if missing). */
    public Builder logs(Path... logs) {
      this.logs = List.of(logs);
      return this;
    }

    /** When the started daemon is ready. */
    public Builder readiness(Readiness readiness) {
      this.readiness = readiness;
      return this;
    }

    /** A step before every start. */
    public Builder beforeStart(Step step) {
      beforeStart.add(step);
      return this;
    }

    /** How a config change reaches the running daemon. */
    public Builder reload(Reload reload) {
      this.reload = reload;
      return this;
    }

    /** How the daemon is stopped (default: {@link Stop#DEFAULT}). */
    public Builder stop(Stop stop) {
      this.stop = stop;
      return this;
    }

    /** The units it starts after, when they run on the same host. */
    public Builder after(String... units) {
      this.after = List.of(units);
      return this;
    }

    /** The spec. */
    public DaemonSpec build() {
      List<Path> all = new java.util.ArrayList<>(logs);
      if (!all.contains(log)) {
        all.add(log);
      }
      return new DaemonSpec(
          host,
          name,
          files,
          hostFiles,
          dirs,
          command,
          user,
          workdir,
          environment,
          writes,
          log,
          all,
          readiness,
          beforeStart,
          reload,
          stop,
          after);
    }
  }
}
