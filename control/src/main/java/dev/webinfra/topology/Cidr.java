package dev.webinfra.topology;

import java.util.Optional;

/** An IPv4 network in CIDR notation, normalised so that {@code base} has no host bits. */
public record Cidr(Ipv4 base, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("cidr: prefix must be 0..32, was " + prefix);
    }
    if ((base.value() & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException("cidr: " + base + "/" + prefix + " has host bits set");
    }
  }

  /** Parses {@code a.b.c.d/n} with no host bits set, or empty when it is not such a network. */
  public static Optional<Cidr> parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<Ipv4> ip = Ipv4.parse(text.substring(0, slash));
    String p = text.substring(slash + 1).trim();
    if (ip.isEmpty() || p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int prefix = Integer.parseInt(p);
    if (prefix > 32 || (ip.get().value() & ~mask(prefix)) != 0) {
      return Optional.empty();
    }
    return Optional.of(new Cidr(ip.get(), prefix));
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
  }

  /** Whether the address lies inside this network (network and broadcast addresses included). */
  public boolean contains(Ipv4 ip) {
    return (ip.value() & mask(prefix)) == base.value();
  }

  /** Whether the whole of {@code other} lies inside this network. */
  public boolean contains(Cidr other) {
    return other.prefix >= prefix && contains(other.base);
  }

  /** Whether the two networks share any address. */
  public boolean overlaps(Cidr other) {
    return contains(other.base) || other.contains(base);
  }

  /** The broadcast address. */
  public Ipv4 broadcast() {
    return new Ipv4(base.value() | (~mask(prefix) & 0xFFFF_FFFFL));
  }

  /** Whether the address may be given to a host: inside, and neither network nor broadcast. */
  public boolean isUsable(Ipv4 ip) {
    return contains(ip) && !ip.equals(base) && !ip.equals(broadcast());
  }

  /** The last address a host may use, conventionally the machine's own. */
  public Ipv4 lastUsable() {
    return broadcast().plus(-1);
  }

  @Override
  public String toString() {
    return base + "/" + prefix;
  }
}
