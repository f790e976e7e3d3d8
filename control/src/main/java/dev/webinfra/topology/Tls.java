package dev.webinfra.topology;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the site is encrypted: not at all, with a certificate from the lab's own CA, or with the
 * user's files ({@code cert}: the certificate, optionally followed by its chain; {@code key}: its
 * private key), read once at load. {@code backend} also encrypts load balancer to server traffic.
 */
public record Tls(Mode mode, Optional<NamedFile> cert, Optional<NamedFile> key, boolean backend) {

  /** Where the site's certificate comes from. */
  public enum Mode {
    OFF,
    LAB,
    FILES
  }

  public Tls {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /** Plain HTTP everywhere. */
  public static Tls off() {
    return new Tls(Mode.OFF, Optional.empty(), Optional.empty(), false);
  }

  /** Whether clients reach the site over HTTPS. */
  public boolean enabled() {
    return mode != Mode.OFF;
  }

  /** The certificate file's path (mode files). */
  public Optional<Path> certFile() {
    return cert.map(NamedFile::path);
  }

  /** The key file's path (mode files). */
  public Optional<Path> keyFile() {
    return key.map(NamedFile::path);
  }
}
