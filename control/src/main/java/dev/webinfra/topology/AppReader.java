package dev.webinfra.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code app} keys that say what the application tier runs: {@code jar}, or {@code
 * command} with its codebase {@code dir}, and the {@code health} path, {@code env}, {@code user}
 * and {@code packages} that go with it. Artifact paths are relative to the topology file and must
 * exist when it is loaded, so a missing jar is refused before anything is touched.
 */
final class AppReader {
  /** The layered key that holds the {@link AppProgram}; a later layer replaces it whole. */
  static final String PROGRAM = "app.program";

  // At most a short argv; a codebase's own scripts take the rest.
  private static final int MAX_ARGS = 64;
  private static final int MAX_ENV = 32;
  private static final int MAX_PACKAGES = 32;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern HEALTH = Pattern.compile("/[A-Za-z0-9/._~%&=?+-]{0,200}");
  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,62}");

  /** A command as read, with where it was named, waiting for its {@code dir}. */
  private record Argv(List<String> argv, String named) {}

  private AppReader() {}

  /** Combines the block's {@code jar}, {@code command} and {@code dir} into {@link #PROGRAM}. */
  static void program(YamlNode app, Map<String, Object> values) {
    Object jar = values.remove("app.jar");
    Object command = values.remove("app.command");
    Object dir = values.remove("app.dir");
    if (jar != null && command != null) {
      app.problem("give either jar or command (with dir), not both");
    } else if (jar != null) {
      if (dir != null) {
        app.problem("dir goes with command; a jar is the whole app");
      } else {
        values.put(PROGRAM, jar);
      }
    } else if (command != null && dir == null) {
      app.problem(
          "command needs dir beside it: the codebase directory it runs in, copied to each server");
    } else if (command != null) {
      Argv a = (Argv) command;
      values.put(PROGRAM, new AppProgram.Command(a.argv(), (Path) dir, a.named()));
    } else if (dir != null) {
      app.problem("dir goes with command: give the command that runs the codebase");
    }
  }

  static Optional<?> jar(YamlNode node) {
    return Fields.existing(node, Files::isRegularFile, "jar")
        .map(p -> new AppProgram.Jar(p, node.location()));
  }

  static Optional<?> dir(YamlNode node) {
    return Fields.existing(node, Files::isDirectory, "codebase directory");
  }

  static Optional<?> command(YamlNode node) {
    return node.strings(MAX_ARGS, "arguments are allowed")
        .flatMap(
            argv -> {
              if (argv.isEmpty() || argv.get(0).isBlank()) {
                node.problem("needs a program: [program, arg, ...], e.g. [gunicorn, app:app]");
                return Optional.empty();
              }
              if (argv.stream().anyMatch(Fields::hasControl)) {
                node.problem("an argument holds a control character");
                return Optional.empty();
              }
              return Optional.of(new Argv(argv, node.location()));
            });
  }

  static Optional<?> health(YamlNode node) {
    return node.string()
        .filter(
            h -> {
              if (!HEALTH.matcher(h).matches()) {
                node.problem(
                    "'"
                        + Shown.value(h)
                        + "' is not a health path; give a path such as /health or /healthz");
                return false;
              }
              return true;
            });
  }

  static Optional<?> user(YamlNode node) {
    return node.string()
        .filter(
            u -> {
              if (!USER.matcher(u).matches()) {
                node.problem("'" + Shown.value(u) + "' is not a user name (a-z, 0-9, _ and -)");
                return false;
              }
              if (u.equals("root")) {
                node.problem("the app runs as an unprivileged user, not root");
                return false;
              }
              return true;
            });
  }

  static Optional<?> packages(YamlNode node) {
    return node.strings(MAX_PACKAGES, "packages are allowed")
        .filter(
            ps -> {
              for (String p : ps) {
                if (!PACKAGE.matcher(p).matches()) {
                  node.problem("'" + Shown.value(p) + "' is not a Debian package name");
                  return false;
                }
              }
              return true;
            });
  }

  static Optional<?> env(YamlNode node) {
    return node.mapping()
        .flatMap(
            m -> {
              if (m.size() > MAX_ENV) {
                node.problem("at most " + MAX_ENV + " variables are allowed, found " + m.size());
                return Optional.empty();
              }
              Map<String, String> out = new LinkedHashMap<>();
              boolean ok = true;
              for (var e : m.entrySet()) {
                String name = e.getKey();
                if (!ENV_NAME.matcher(name).matches()) {
                  e.getValue().problem("'" + Shown.value(name) + "' is not a variable name");
                  ok = false;
                } else if (name.equals("PORT") || name.startsWith("WEBINFRA_")) {
                  e.getValue()
                      .problem(
                          name
                              + " is set by webinfra (PORT and WEBINFRA_*: see docs/app.md); choose"
                              + " another name");
                  ok = false;
                } else {
                  Optional<String> v = e.getValue().string();
                  if (v.isPresent() && (Fields.hasControl(v.get()) || v.get().length() > 1024)) {
                    e.getValue().problem("a value is one line of at most 1024 characters");
                    ok = false;
                  } else if (v.isPresent()) {
                    out.put(name, v.get());
                  } else {
                    ok = false;
                  }
                }
              }
              return ok ? Optional.of(Map.copyOf(out)) : Optional.empty();
            });
  }
}
