package dev.webinfra.load;

/** How a request ended: answered well, or the reason it failed. */
public enum Cause {
  /** A 2xx or 3xx answer. */
  OK,
  /** No connection: refused, unreachable, or not established in time. */
  CONNECT,
  /** Connected, but no whole answer before the timeout. */
  TIMEOUT,
  /** A 5xx answer: the site is there but could not serve. */
  HTTP_5XX,
  /** A 4xx answer: the request was refused (a bug in the request, or a limit). */
  HTTP_4XX,
  /** Anything else: the connection reset or closed mid-answer, a TLS failure. */
  OTHER;

  /** The cause of an HTTP status code. */
  public static Cause ofStatus(int status) {
    if (status >= 500) {
      return HTTP_5XX;
    }
    if (status >= 400) {
      return HTTP_4XX;
    }
    return status >= 200 ? OK : OTHER;
  }

  /** The name in JSON and text reports: {@code connect}, {@code timeout}, {@code 5xx}... */
  public String label() {
    return switch (this) {
      case HTTP_5XX -> "5xx";
      case HTTP_4XX -> "4xx";
      default -> name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
