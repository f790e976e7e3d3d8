package dev.webinfra.topology;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the site is encrypted: not at all, with a certificate from the lab's own CA, or with the
 * user's files. {@code backend} also encrypts load balancer to server traffic.
 */
public record Tls(Mode mode, Optional<Path> certFile, Optional<Path> keyFile, boolean backend) {

  /** Where the site's certificate comes from. */
  public enum Mode {
    OFF,
    LAB,
    FILES
  }

  public Tls {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /** Plain HTTP everywhere. */
  public static Tls off() {
    return new Tls(Mode.OFF, Optional.empty(), Optional.empty(), false);
  }

  /** Whether clients reach the site over HTTPS. */
  public boolean enabled() {
    return mode != Mode.OFF;
  }
}
