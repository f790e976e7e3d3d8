package dev.webinfra.host;

import java.util.List;

/** The system users webinfra makes for its daemons, on the lab's machine and on servers alike. */
public final class SystemUser {
  private SystemUser() {}

  /** The command that makes {@code name} a system user: no home, no login shell. */
  public static List<String> useradd(String name) {
    return List.of(
        "useradd",
        "--system",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        "--",
        name);
  }
}
