package dev.webinfra.cli;

import java.nio.file.Path;

/** Where webinfra is installed: the launcher passes its directory as {@code webinfra.home}. */
final class Home {
  private Home() {}

  static Path dir() {
    return Path.of(System.getProperty("webinfra.home", ".")).toAbsolutePath().normalize();
  }

  static Path appJar() {
    return dir().resolve("app/target/webinfra-app.jar");
  }

  /** The control jar, which servers get for webinfra's own small daemons (witness, VIP guard). */
  static Path controlJar() {
    return dir().resolve("control/target/webinfra.jar");
  }

  static Path preset(String name) {
    return dir().resolve("topologies").resolve(name);
  }
}
