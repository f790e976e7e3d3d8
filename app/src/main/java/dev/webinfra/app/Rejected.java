package dev.webinfra.app;

/**
 * A request the app refuses: a 4xx status and a message that names the field or header at fault.
 */
public final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  Rejected(int status, String message) {
    this(status, message, null);
  }

  Rejected(int status, String message, Throwable cause) {
    super(message, cause);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("rejected status must be 4xx, was " + status);
    }
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
