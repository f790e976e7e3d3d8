package dev.webinfra.plan;

import java.util.Locale;

/** A daemon webinfra runs on a host; the declaration order is the start order. */
public enum Component {
  /** Authoritative DNS for the site's zone. */
  DNSMASQ,
  /** The database server. */
  MARIADB,
  /** The Galera arbitrator: a vote without data. */
  GARBD,
  /** Our application server. */
  APP,
  /** The web server in front of the app. */
  NGINX,
  /** The load balancer. */
  HAPROXY,
  /** VRRP for the floating IP. */
  KEEPALIVED;

  /** The name shown in status and used by {@code logs HOST COMPONENT}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
