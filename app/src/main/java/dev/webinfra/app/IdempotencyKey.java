package dev.webinfra.app;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A write's idempotency key: the client's name for one write, so that sending it again (a reload, a
 * load balancer's retry on another server) answers the first answer instead of writing twice.
 *
 * <p>API clients send it in the {@code Idempotency-Key} header; the guestbook's form carries it in
 * its action URL's query ({@code /entries?idempotency_key=K}), where HAProxy can see it without
 * reading the body. 1 to {@link #MAX_LENGTH} characters of {@code A-Z a-z 0-9 - _}: a UUID, a
 * base64url token or {@code load-RUN-SEQ} all fit, and nothing in it needs escaping anywhere.
 *
 * <p>A write whose client sent no key gets one from the load balancer, in {@link #BALANCER_HEADER}:
 * then the load balancer may send it again to another server when the first dies before answering
 * (see docs/idempotency.md). The client's key, where there is one, is the write's key.
 */
public record IdempotencyKey(String value) {
  static final String HEADER = "Idempotency-Key";
  static final String QUERY = "idempotency_key";
  static final String BALANCER_HEADER = "X-Load-Balancer-Key";
  static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A fresh key: 128 random bits, base64url, so that no client's key and no other fresh key is ever
   * the same.
   */
  static IdempotencyKey random() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return new IdempotencyKey(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** Validates; see {@link #parse}. */
  public IdempotencyKey {
    check(value, HEADER);
  }

  /**
   * The key of a write from its header and its query parameter (either may be null): none when both
   * are absent; 400 when one is malformed or too long, or when both are given and differ.
   */
  static IdempotencyKey parse(String header, String query) throws Rejected {
    return parse(header, query, null);
  }

  /**
   * As {@link #parse(String, String)}, and when the client sent neither, the load balancer's key
   * {@code balancer} (may be null): 400 when that one is malformed.
   */
  static IdempotencyKey parse(String header, String query, String balancer) throws Rejected {
    if (header == null && query == null && balancer != null) {
      try {
        return new IdempotencyKey(check(balancer, "header " + BALANCER_HEADER));
      } catch (IllegalArgumentException e) {
        throw new Rejected(400, e.getMessage(), e);
      }
    }
    if (header != null && query != null && !header.equals(query)) {
      throw new Rejected(
          400,
          "header "
              + HEADER
              + " and query parameter "
              + QUERY
              + " name different keys; send one, or the same in both");
    }
    String value = header != null ? header : query;
    if (value == null) {
      return null;
    }
    String where = header != null ? "header " + HEADER : "query parameter " + QUERY;
    try {
      return new IdempotencyKey(check(value, where));
    } catch (IllegalArgumentException e) {
      throw new Rejected(400, e.getMessage(), e);
    }
  }

  private static String check(String value, String where) {
    if (value == null) {
      throw new IllegalArgumentException(where + " is required");
    }
    int length = value.codePointCount(0, value.length());
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          where + " is too long: at most " + MAX_LENGTH + " characters, was " + length);
    }
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          where
              + " is malformed: it must be 1 to "
              + MAX_LENGTH
              + " characters of A-Z a-z 0-9 - _, was '"
              + printable(value)
              + "'");
    }
    return value;
  }

  // A refused key is echoed to say what was wrong, but never raw control characters.
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
  }

  @Override
  public String toString() {
    return value;
  }
}
