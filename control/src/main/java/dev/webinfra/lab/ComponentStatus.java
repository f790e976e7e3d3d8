package dev.webinfra.lab;

/** One component's state on a host: running, degraded (alive but not answering) or stopped. */
public record ComponentStatus(String name, String state, Long pid) {}
