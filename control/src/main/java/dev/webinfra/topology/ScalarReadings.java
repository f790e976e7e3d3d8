package dev.webinfra.topology;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How readers of other YAML versions and number models type a plain scalar: a YAML 1.1 reader, a
 * YAML 1.2 one, and one that keeps numbers as doubles. {@link Unambiguous} refuses a scalar they
 * read differently.
 */
final class ScalarReadings {
  static final Set<String> TRUE_11 =
      Set.of("yes", "Yes", "YES", "on", "On", "ON", "y", "Y", "true", "True", "TRUE");
  static final Set<String> FALSE_11 =
      Set.of("no", "No", "NO", "off", "Off", "OFF", "n", "N", "false", "False", "FALSE");
  private static final Pattern INT_11 =
      Pattern.compile(
          "[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern FLOAT_11 =
      Pattern.compile(
          "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
              + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*");
  private static final Pattern TIMESTAMP_11 =
      Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?");
  private static final Pattern INT_12 = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
  private static final Pattern FLOAT_12 =
      Pattern.compile("[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?");
  private static final Pattern SPECIAL_FLOAT =
      Pattern.compile("[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
  static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
  private static final BigInteger DOUBLE_EXACT = BigInteger.TWO.pow(53);

  private ScalarReadings() {}

  // What a reader that keeps numbers as doubles (JavaScript, jq, many JSON tools) would read.
  static Optional<String> lostPrecision(String v, String reading) {
    if (reading.startsWith("the integer ")) {
      BigInteger n = new BigInteger(reading.substring("the integer ".length()));
      if (n.abs().compareTo(DOUBLE_EXACT) > 0) {
        return Optional.of(
            "is larger than 2^53: readers that keep numbers as doubles (JavaScript, jq) read "
                + new BigDecimal(n.doubleValue()).toBigInteger()
                + "; quote it");
      }
    } else if (reading.startsWith("the number ") && !SPECIAL_FLOAT.matcher(v).matches()) {
      BigDecimal exact = new BigDecimal(v.replace("_", ""));
      double d = exact.doubleValue();
      if (Double.isInfinite(d) || exact.compareTo(new BigDecimal(Double.toString(d))) != 0) {
        return Optional.of(
            "cannot be held by a double: readers that keep numbers as doubles read "
                + d
                + "; quote it");
      }
    }
    return Optional.empty();
  }

  // How a YAML 1.1 reader (PyYAML's resolver, plus y and n as the spec and Go's yaml.v2 have it)
  // types a plain scalar.
  static String yaml11(String v) {
    if (NULLS.contains(v)) {
      return "null";
    }
    if (TRUE_11.contains(v)) {
      return "the boolean true";
    }
    if (FALSE_11.contains(v)) {
      return "the boolean false";
    }
    if (INT_11.matcher(v).matches()) {
      return "the integer " + int11(v.replace("_", ""));
    }
    if (FLOAT_11.matcher(v).matches()) {
      String d = v.replace("_", "");
      return "the number " + (d.contains(":") ? sexagesimal(d) : decimal(d));
    }
    if (SPECIAL_FLOAT.matcher(v).matches()) {
      return "the number " + v.toLowerCase(Locale.ROOT);
    }
    if (TIMESTAMP_11.matcher(v).matches()) {
      return "a date";
    }
    return "text";
  }

  // How a YAML 1.2 reader (the core schema) types a plain scalar.
  static String yaml12(String v) {
    if (NULLS.contains(v)) {
      return "null";
    }
    if (v.equals("true") || v.equals("True") || v.equals("TRUE")) {
      return "the boolean true";
    }
    if (v.equals("false") || v.equals("False") || v.equals("FALSE")) {
      return "the boolean false";
    }
    if (INT_12.matcher(v).matches()) {
      BigInteger n =
          v.startsWith("0o")
              ? new BigInteger(v.substring(2), 8)
              : v.startsWith("0x")
                  ? new BigInteger(v.substring(2), 16)
                  : new BigInteger(v.startsWith("+") ? v.substring(1) : v);
      return "the integer " + n;
    }
    if (FLOAT_12.matcher(v).matches()) {
      return "the number " + decimal(v);
    }
    if (SPECIAL_FLOAT.matcher(v).matches()) {
      return "the number " + v.toLowerCase(Locale.ROOT);
    }
    return "text";
  }

  private static BigInteger int11(String v) {
    boolean negative = v.startsWith("-");
    String d = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
    BigInteger n;
    if (d.startsWith("0b")) {
      n = new BigInteger(d.substring(2), 2);
    } else if (d.startsWith("0x")) {
      n = new BigInteger(d.substring(2), 16);
    } else if (d.contains(":")) {
      n = BigInteger.ZERO;
      for (String part : d.split(":")) {
        n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
      }
    } else if (d.length() > 1 && d.startsWith("0")) {
      n = new BigInteger(d.substring(1), 8);
    } else {
      n = new BigInteger(d);
    }
    return negative ? n.negate() : n;
  }

  private static String sexagesimal(String v) {
    boolean negative = v.startsWith("-");
    String d = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
    BigDecimal n = BigDecimal.ZERO;
    for (String part : d.split(":")) {
      n = n.multiply(BigDecimal.valueOf(60)).add(new BigDecimal(part.isEmpty() ? "0" : part));
    }
    return (negative ? n.negate() : n).stripTrailingZeros().toPlainString();
  }

  private static String decimal(String v) {
    String d = v.startsWith("+") ? v.substring(1) : v;
    d = d.endsWith(".") ? d + "0" : d;
    d = d.startsWith(".") ? "0" + d : d.startsWith("-.") ? "-0" + d.substring(1) : d;
    BigDecimal n = new BigDecimal(d);
    // A huge exponent is a number all the same: describe it without writing out its digits.
    return n.scale() < -1000 || n.scale() > 1000
        ? n.toString()
        : n.stripTrailingZeros().toPlainString();
  }
}
