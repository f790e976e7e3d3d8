package dev.webinfra.topology;

import java.util.Optional;

/** An IPv4 address as an unsigned 32-bit value; parsing is strict (four decimal octets). */
public record Ipv4(long value) implements Comparable<Ipv4> {

  /** The block every lab address must come from (RFC 2544 benchmarking range). */
  public static final Cidr LAB_RANGE = Cidr.parse("198.18.0.0/15").orElseThrow();

  public Ipv4 {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ipv4: value out of range: " + value);
    }
  }

  /** Parses dotted-quad text, or empty when it is not an IPv4 address. */
  public static Optional<Ipv4> parse(String text) {
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return Optional.empty();
      }
      v = (v << 8) | octet;
    }
    return Optional.of(new Ipv4(v));
  }

  /** The address {@code n} places further on. */
  public Ipv4 plus(long n) {
    return new Ipv4(value + n);
  }

  @Override
  public int compareTo(Ipv4 o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return ((value >> 24) & 255)
        + "."
        + ((value >> 16) & 255)
        + "."
        + ((value >> 8) & 255)
        + "."
        + (value & 255);
  }
}
