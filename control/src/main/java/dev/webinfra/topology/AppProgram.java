package dev.webinfra.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the application tier runs on a host: our own guestbook (the default), a jar run with the
 * host's Java, or a command run in a codebase directory (Gunicorn with a Flask app, say). The
 * artifact paths are resolved against the topology file's directory and were checked at load.
 */
public sealed interface AppProgram {

  /** A short name for check and the diagram: {@code Java guestbook}, {@code jar}, the program. */
  String kind();

  /** The jar or codebase the first release is made of; empty for the guestbook (the build). */
  java.util.Optional<Path> artifact();

  /** Where the topology names it ({@code file:line:col}); empty for the default guestbook. */
  String named();

  /** Our guestbook, from the current build. */
  record Guestbook() implements AppProgram {
    @Override
    public String kind() {
      return "Java guestbook";
    }

    @Override
    public java.util.Optional<Path> artifact() {
      return java.util.Optional.empty();
    }

    @Override
    public String named() {
      return "";
    }
  }

  /** A jar, run as {@code java -jar}; it is told its settings through the environment. */
  record Jar(Path path, String named) implements AppProgram {
    public Jar {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(named, "named");
    }

    @Override
    public String kind() {
      return "jar";
    }

    @Override
    public java.util.Optional<Path> artifact() {
      return java.util.Optional.of(path);
    }
  }

  /**
   * A command run in the codebase directory {@code dir} (copied to each server as a release); a
   * {@code {port}} in an argument becomes the app's port.
   */
  record Command(List<String> argv, Path dir, String named) implements AppProgram {
    public Command {
      argv = List.copyOf(argv);
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(named, "named");
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("an app command needs a program");
      }
    }

    /** The program: the command's first word. */
    public String program() {
      return argv.get(0);
    }

    /** The command line with {@code {port}} replaced by {@code port}. */
    public List<String> argv(int port) {
      return argv.stream().map(a -> a.replace("{port}", Integer.toString(port))).toList();
    }

    @Override
    public String kind() {
      return Path.of(program()).getFileName().toString();
    }

    @Override
    public java.util.Optional<Path> artifact() {
      return java.util.Optional.of(dir);
    }
  }
}
