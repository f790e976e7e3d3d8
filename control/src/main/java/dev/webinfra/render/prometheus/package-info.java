/**
 * Prometheus on the monitoring hosts: its scrape config and alert rules from the model, where the
 * agents run, and its unit.
 */
package dev.webinfra.render.prometheus;
