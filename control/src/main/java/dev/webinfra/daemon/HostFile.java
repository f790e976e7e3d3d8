package dev.webinfra.daemon;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a daemon needs that is not a pure rendering: a secret, a certificate or an artifact. The
 * unit names what it needs; the apply step, which holds the lab's secrets, CA and build, supplies
 * it. Its content takes part in the daemon's fingerprint, so a new one restarts the daemon.
 */
public record HostFile(Path path, Source source, String argument, String mode, String owner) {
  /** Where the content comes from. */
  public enum Source {
    /** The lab's secret called {@code argument}, alone on a line. */
    SECRET,
    /**
     * A template in which {@code {{secret:NAME}}} is replaced by the lab's secret NAME: a client
     * config with a password, say.
     */
    SECRET_TEMPLATE,
    /** The lab CA's certificate. */
    CA_CERTIFICATE,
    /** The site's certificate chain and key in one PEM, for HAProxy. */
    SITE_PEM,
    /** This host's own certificate and the CA's, for its name and addresses. */
    HOST_CERTIFICATE,
    /** The private key of {@link #HOST_CERTIFICATE}. */
    HOST_KEY,
    /** The application's jar. */
    APP_JAR,
    /** The application's static files, extracted into the directory {@code path}. */
    APP_STATIC,
    /**
     * A user's app: its current release (a jar or a codebase), kept under the directory {@code
     * path} as {@code releases/ID}, with the link {@code current} to it.
     */
    APP_RELEASE
  }

  public HostFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
  }

  /** A secret file readable by {@code owner} only. */
  public static HostFile secret(Path path, String secret, String owner) {
    return new HostFile(path, Source.SECRET, secret, "rw-------", owner);
  }

  /** A file from a template with secrets, readable by {@code owner} only. */
  public static HostFile secretTemplate(Path path, String template, String owner) {
    return new HostFile(path, Source.SECRET_TEMPLATE, template, "rw-------", owner);
  }

  /** A file from {@code source} that needs no argument. */
  public static HostFile of(Path path, Source source, String mode) {
    return new HostFile(path, source, null, mode, null);
  }
}
