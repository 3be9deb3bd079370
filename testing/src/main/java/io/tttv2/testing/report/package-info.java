/**
 * Validation reports: text as the seed prints it (a ✓/✗ line per module with its metrics, implementation
 * vs reference time, average speed-up), JSON for machines (written with Jackson), and one self-contained
 * HTML page (a table, bar charts of per-module error and speed-up and, for a profiled run, the roofline, as
 * inline PNG; no external resources). Each also carries the coverage report. Every picture is drawn by one code
 * path (XChart, headless, embedded in this bundle): {@link io.tttv2.testing.report.RooflineChart} writes the
 * roofline to a PNG or SVG file as well.
 */
@Export
@Version("1.2.0")
package io.tttv2.testing.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
