/**
 * The live dashboard: the design coloured by state, the floating-IP holder, database primaries,
 * firing alerts and graphs from Prometheus, served over HTTPS.
 */
package dev.webinfra.dashboard;
