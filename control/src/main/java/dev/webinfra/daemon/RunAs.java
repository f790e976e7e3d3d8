package dev.webinfra.daemon;

import java.util.ArrayList;
import java.util.List;

/** A daemon's command line run as an unprivileged user, through util-linux's {@code setpriv}. */
public final class RunAs {
  private RunAs() {}

  /** {@code args} run as {@code user} with that user's groups; the list can be added to. */
  public static List<String> command(String user, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
