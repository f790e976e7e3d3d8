package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.HostPaths;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * webinfra's own code as it runs on a server: the Java runtime it ships and its control jar, each
 * copied to a host only when it is not there yet or has changed there, and said when it is.
 */
public final class ShippedJava {
  private final SshHostDriver driver;
  private final Supplier<ServerRuntime> runtime;
  private final Path controlJar;
  private final Consumer<String> say;

  /**
   * Ships {@code runtime} and this machine's {@code controlJar} (null where it is not known, as in
   * the controller's own view of its site) through {@code driver}, saying what it installs to
   * {@code say}.
   */
  public ShippedJava(
      SshHostDriver driver,
      Supplier<ServerRuntime> runtime,
      Path controlJar,
      Consumer<String> say) {
    this.driver = driver;
    this.runtime = runtime;
    this.controlJar = controlJar;
    this.say = say;
  }

  /** The runtime on {@code host}, installed there first unless it is. */
  void runtime(String host) {
    if (runtime.get().install(driver, host)) {
      say.accept(
          "host " + host + ": webinfra's Java runtime installed in " + HostPaths.server().java());
    }
  }

  /** Whether a server whose runtime stamp reads {@code stamp} has the runtime shipped here. */
  boolean runtimeCurrent(Optional<String> stamp) {
    return runtime.get().stamped(stamp);
  }

  /**
   * Whether a server whose control jar's {@code sha256sum} line is {@code sum} has this machine's
   * control jar.
   */
  boolean controlJarCurrent(Optional<String> sum) {
    return controlJar != null && driver.holds(controlJar, sum);
  }

  /** The control jar on {@code host}, copied there first unless the same one is. */
  void controlJar(String host) {
    if (controlJar == null) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": webinfra's control jar is not known here, so it cannot run there");
    }
    Path there = HostPaths.server().control();
    if (driver.copyFile(host, controlJar, there, "rw-r--r--", null)) {
      say.accept("host " + host + ": webinfra's control jar installed in " + there);
    }
  }
}
