/**
 * Validation reports: text as the seed prints it (a ✓/✗ line per module with its metrics, implementation
 * vs reference time, average speed-up), JSON for machines, and one self-contained HTML page (a table and
 * inline SVG bar charts of per-module error and speed-up; no external resources). Each also carries the
 * coverage report.
 */
@Export
@Version("1.1.0")
package io.tttv2.testing.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
