/**
 * Daemon units: what one kind of daemon needs on a host ({@link dev.webinfra.daemon.DaemonUnit},
 * {@link dev.webinfra.daemon.DaemonSpec}), independent of how hosts are reached.
 */
package dev.webinfra.daemon;
