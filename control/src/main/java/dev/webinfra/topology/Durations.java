package dev.webinfra.topology;

import dev.webinfra.WebinfraException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of a duration, for every verb's options ({@code load --duration}, {@code events
 * --since}, {@code --settle}) and for scenario files: a whole number with a unit ({@code 500ms},
 * {@code 20s}, {@code 5m}, {@code 2h}, {@code 1d}; units in any case), a whole number alone for
 * seconds ({@code 20}), or ISO-8601 ({@code PT1M30S}). It is the union of what the three parsers it
 * replaces each took, so nothing that parsed before stops parsing, except a negative duration (no
 * reader had a use for one) and one beyond {@link #MAX}, which no reader reaches and which keeps
 * sums of two of them (a fault's start plus its length) clear of overflow.
 */
public final class Durations {
  /** The longest duration: 100 years, far beyond any run, window or history asked for. */
  public static final Duration MAX = Duration.ofDays(36_500);

  // Long.parseLong's digits (any Unicode decimal digit, an optional plus): the load and events
  // parsers took what it takes.
  private static final Pattern NUMBER_AND_UNIT =
      Pattern.compile("\\+?(\\p{Nd}+)(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /** The duration {@code text} says, or empty; {@link #notADuration} then says what is allowed. */
  public static Optional<Duration> parse(String text) {
    String t = text == null ? "" : text.strip();
    Duration d;
    try {
      d = t.startsWith("P") || t.startsWith("p") ? iso(t) : numberAndUnit(t);
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
    return d == null || d.isNegative() || d.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(d);
  }

  /**
   * The duration {@code text} says; otherwise an invalid-input error that starts with {@code
   * subject} (the verb and option, such as {@code load: --timeout}).
   */
  public static Duration parse(String subject, String text) {
    return parse(text)
        .orElseThrow(() -> WebinfraException.invalidInput(subject + ": " + notADuration(text)));
  }

  /** Why {@code text} is refused, and what a duration looks like; the one message of them all. */
  public static String notADuration(String text) {
    return "'"
        + Shown.value(text == null ? "" : text)
        + "' is not a duration; use e.g. 500ms, 20s, 5m, 2h, 1d or PT1M30S (a number alone is"
        + " seconds; at most "
        + MAX.toDays()
        + "d)";
  }

  private static Duration iso(String t) {
    return Duration.parse(t.toUpperCase(Locale.ROOT));
  }

  private static Duration numberAndUnit(String t) {
    Matcher m = NUMBER_AND_UNIT.matcher(t);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
