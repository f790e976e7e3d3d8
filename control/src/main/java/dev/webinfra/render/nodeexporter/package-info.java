/**
 * The node exporter on every monitored host, and the keepalived notify script that reports the
 * floating IP's holder through it.
 */
package dev.webinfra.render.nodeexporter;
