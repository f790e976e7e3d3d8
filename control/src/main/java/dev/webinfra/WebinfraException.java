package dev.webinfra;

/** The one unchecked exception of webinfra: a message for the user and the exit code it maps to. */
public final class WebinfraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code for a check that failed or reported findings. */
  public static final int CHECK_FAILED = 1;

  /** Exit code for invalid input: a malformed topology, a bad argument, a bad certificate. */
  public static final int INVALID_INPUT = 2;

  /** Exit code for an unexpected state: a daemon that will not start, a missing privilege. */
  public static final int UNEXPECTED_STATE = 3;

  private final int exitCode;

  private WebinfraException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The user gave something webinfra cannot accept; nothing was changed. */
  public static WebinfraException invalidInput(String message) {
    return new WebinfraException(INVALID_INPUT, message, null);
  }

  /** The user gave something webinfra cannot accept, found while reading it. */
  public static WebinfraException invalidInput(String message, Throwable cause) {
    return new WebinfraException(INVALID_INPUT, message, cause);
  }

  /** A check ran and found what it was asked to fail on. */
  public static WebinfraException checkFailed(String message) {
    return new WebinfraException(CHECK_FAILED, message, null);
  }

  /** The world is not in the state webinfra needs: a daemon failed, a command failed, no root. */
  public static WebinfraException unexpectedState(String message) {
    return new WebinfraException(UNEXPECTED_STATE, message, null);
  }

  /** As {@link #unexpectedState(String)}, keeping the cause. */
  public static WebinfraException unexpectedState(String message, Throwable cause) {
    return new WebinfraException(UNEXPECTED_STATE, message, cause);
  }

  /** The process exit code this error maps to. */
  public int exitCode() {
    return exitCode;
  }
}
