package dev.webinfra.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may use the dashboard and the controller's API: the bearer of the lab's token, sent as {@code
 * Authorization: Bearer TOKEN} (the CLI, curl) or as the cookie the page got in exchange for {@code
 * /?token=TOKEN} (a browser).
 *
 * <p>Why a cookie and not {@code #token=} read by the page's script: the page's own assets, its
 * diagram ({@code <img>}-like fetches) and every API path must answer 401 without the token, and a
 * browser's first request for a page cannot carry a header. The cookie is {@code HttpOnly} (no
 * script reads it), {@code Secure}, {@code SameSite=Strict} (no other site's page makes the browser
 * send it: the first guard against cross-site requests) and {@code __Host-} prefixed (only this
 * origin may set it). The token leaves the address bar at once: the exchange answers with a page
 * that moves to {@code /}, and {@code Referrer-Policy: no-referrer} keeps it out of any Referer.
 */
public final class DashboardAuth {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private final byte[] digest;
  private final String cookie;

  /**
   * The bearer of {@code token} is let in; a browser keeps it in the cookie {@code cookieName}
   * (without its {@code __Host-} prefix), one name per lab since cookies do not tell ports apart.
   */
  public DashboardAuth(String token, String cookieName) {
    Objects.requireNonNull(token, "token");
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "dashboard: the token must be 16 to 128 letters, digits, '-' or '_'");
    }
    if (!cookieName.matches("[A-Za-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("dashboard: cookie name '" + cookieName + "'");
    }
    this.digest = sha256(token);
    this.cookie = "__Host-" + cookieName;
  }

  /**
   * Whether {@code candidate} is the token. Both sides are hashed first and compared with {@link
   * MessageDigest#isEqual}, which takes the same time wherever they differ, and the digests have
   * one length: the comparison tells an attacker neither a prefix nor the token's length.
   */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
  }

  /** The token from an {@code Authorization} header's value, if it is a bearer one. */
  static Optional<String> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(authorization.substring(7).strip());
  }

  /** The value of this dashboard's cookie in a {@code Cookie} header's value, if present. */
  Optional<String> fromCookies(String cookieHeader) {
    if (cookieHeader == null) {
      return Optional.empty();
    }
    for (String pair : cookieHeader.split(";")) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).equals(cookie)) {
        return Optional.of(p.substring(eq + 1));
      }
    }
    return Optional.empty();
  }

  /** How a request proves it holds the token. */
  enum Proof {
    /** None, or a wrong one. */
    NONE,
    /**
     * {@code Authorization: Bearer}: a browser never adds it on its own, so no CSRF is possible.
     */
    HEADER,
    /** The cookie: a browser adds it by itself, so requests that write need a same-origin check. */
    COOKIE
  }

  /** Which proof a request with these headers carries; a wrong token in either is {@code NONE}. */
  Proof proof(String authorization, String cookieHeader) {
    Optional<String> b = bearer(authorization);
    if (b.isPresent()) {
      return matches(b.get()) ? Proof.HEADER : Proof.NONE;
    }
    return fromCookies(cookieHeader).filter(this::matches).isPresent() ? Proof.COOKIE : Proof.NONE;
  }

  /**
   * Whether a request with side effects may run: with the token in its header, or with the cookie
   * and an {@code Origin} that is the dashboard's own ({@code https://HOST:PORT}, as the request
   * addressed it). A plain link, a form or a script of another site fails both: it cannot set the
   * header, and its {@code Origin} is its own (or {@code null}).
   */
  static boolean maySideEffect(Proof proof, String origin, String ownOrigin) {
    return switch (proof) {
      case HEADER -> true;
      case COOKIE -> origin != null && origin.equals(ownOrigin);
      case NONE -> false;
    };
  }

  /** The {@code Set-Cookie} value that gives a browser the token, for this session only. */
  String setCookie(String token) {
    return cookie + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
